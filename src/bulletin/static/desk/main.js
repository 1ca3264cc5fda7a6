/* Bulletin newsroom: every desk page loads this module. The small pages (dashboard, team,
 * account, audit) need only pages.js; the composer page wires its parts together through
 * `desk` so each module can reach the others at run time. Plain ES modules, no build step. */
import './pages.js';
import { $ } from './dom.js';

if ($('#editor-config')) {
  const [
    { desk, cfg },
    { createComposer },
    { createQueue },
    { createStream },
    { createStatus },
    { connect },
    { createKeys },
  ] = await Promise.all([
    import('./context.js'),
    import('./composer.js'),
    import('./queue.js'),
    import('./stream.js'),
    import('./status.js'),
    import('./live.js'),
    import('./keys.js'),
  ]);
  desk.composer = createComposer();
  desk.queue = createQueue();
  desk.stream = createStream();
  desk.status = createStatus();
  desk.status.set(cfg.status);
  connect();
  createKeys();
  desk.composer.start();
  // A search or another page of the stream opens at the stream, even once the composer
  // above it has grown (its pager links and search form point at #desk-stream).
  if (location.hash === '#desk-stream') $('#desk-stream').scrollIntoView();
  import('./phone.js').then(({ followKeyboard, keepCaretAboveBar }) => {
    followKeyboard();
    keepCaretAboveBar();
  });
}
