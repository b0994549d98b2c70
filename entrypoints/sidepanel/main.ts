// Composition root of the side panel (placeholder until the panel lands).
document.getElementById('app')!.textContent = 'Minutes'
