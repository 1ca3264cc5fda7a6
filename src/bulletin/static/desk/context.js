/* What the composer page tells its script: the blog, the person and what they may do.
 * Imported only on the composer page (main.js checks for #editor-config first). */
import { $ } from './dom.js';

export const cfg = JSON.parse($('#editor-config').textContent);
export const can = (permission) => cfg.permissions.includes(permission);
export const me = cfg.me;
export const base = '/api/v1/blogs/' + encodeURIComponent(cfg.slug);

/** The desk's parts, filled in by main.js; modules call each other through it at run time. */
export const desk = { composer: null, queue: null, stream: null, status: null };
