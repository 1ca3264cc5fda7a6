/* Bulletin newsroom: every desk page loads this module. The small pages (dashboard, team,
 * account, audit) need only pages.js; the composer page wires its parts together through
 * `desk` so each module can reach the others at run time. Plain ES modules, no build step. */
import './pages.js';
import { $ } from './dom.js';

if ($('#editor-config')) {
  const [{ desk, cfg }, { createComposer }, { createQueue }, { createStream }, { createStatus }, { connect }] =
    await Promise.all([
      import('./context.js'),
      import('./composer.js'),
      import('./queue.js'),
      import('./stream.js'),
      import('./status.js'),
      import('./live.js'),
    ]);
  desk.composer = createComposer();
  desk.queue = createQueue();
  desk.stream = createStream();
  desk.status = createStatus();
  desk.status.set(cfg.status);
  connect();
  desk.composer.start();
  import('./phone.js').then(({ followKeyboard, keepCaretAboveBar }) => {
    followKeyboard();
    keepCaretAboveBar();
  });
}
