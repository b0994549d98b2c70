import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client'

/** The server's Prometheus metrics, on a registry of its own (several servers may share a process in tests). */
export const createMetrics = () => {
  const registry = new Registry()
  collectDefaultMetrics({ register: registry, prefix: 'minutes_process_' })
  const latencyBuckets = [0.0005, 0.001, 0.002, 0.005, 0.01, 0.02, 0.05, 0.1, 0.25, 0.5, 1, 2.5]
  return {
    registry,
    connections: new Gauge({ name: 'minutes_connections', help: 'Open WebSocket connections', registers: [registry] }),
    roomsLoaded: new Gauge({ name: 'minutes_rooms_loaded', help: 'Rooms held in memory', registers: [registry] }),
    updatesIn: new Counter({ name: 'minutes_updates_in_total', help: 'Document updates accepted from clients', registers: [registry] }),
    updatesOut: new Counter({ name: 'minutes_updates_out_total', help: 'Document update messages delivered to clients', registers: [registry] }),
    bytesIn: new Counter({ name: 'minutes_bytes_in_total', help: 'Bytes received in WebSocket messages', registers: [registry] }),
    unsentBytes: new Gauge({ name: 'minutes_unsent_bytes', help: 'Bytes handed to sockets and not yet written to the network', registers: [registry] }),
    bytesOut: new Counter({ name: 'minutes_bytes_out_total', help: 'Bytes sent in WebSocket messages', registers: [registry] }),
    awarenessIn: new Counter({ name: 'minutes_awareness_in_total', help: 'Awareness messages received', registers: [registry] }),
    awarenessOut: new Counter({ name: 'minutes_awareness_out_total', help: 'Awareness messages sent', registers: [registry] }),
    persistSeconds: new Histogram({ name: 'minutes_persist_seconds', help: 'Duration of one group commit', buckets: latencyBuckets, registers: [registry] }),
    ackSeconds: new Histogram({ name: 'minutes_ack_seconds', help: 'From receiving an update to acknowledging it as durable', buckets: latencyBuckets, registers: [registry] }),
    compactions: new Counter({ name: 'minutes_compactions_total', help: 'Room logs compacted into a snapshot', registers: [registry] }),
    closes: new Counter({ name: 'minutes_closes_total', help: 'Connections closed by the server, by reason', labelNames: ['reason'] as const, registers: [registry] }),
    refusals: new Counter({ name: 'minutes_upgrade_refusals_total', help: 'Upgrades refused before a WebSocket existed, by HTTP status', labelNames: ['status'] as const, registers: [registry] }),
    fanoutIn: new Counter({ name: 'minutes_fanout_messages_in_total', help: 'Messages received from the other servers of the cluster, by type', labelNames: ['type'] as const, registers: [registry] }),
    logReads: new Counter({ name: 'minutes_cluster_log_reads_total', help: 'Reads of a room log tail a server missed (a gap, a lost link, the periodic check)', registers: [registry] }),
    persistFailures: new Counter({ name: 'minutes_persist_failures_total', help: 'Group commits that failed', registers: [registry] }),
  }
}
export type Metrics = ReturnType<typeof createMetrics>
