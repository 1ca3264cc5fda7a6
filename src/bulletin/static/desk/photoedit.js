/* Rotate and crop a photo in the browser before it is uploaded: a phone's picture is often
 * sideways or shows too much. The picked file is decoded with its EXIF orientation applied,
 * shown with a crop frame (drag it or its corner; arrow keys move it, Shift + arrow keys
 * resize it; preset shapes), and what the frame holds is drawn to a canvas and uploaded as
 * JPEG through the block's usual upload. Unchanged photos upload as they are, and so do
 * photos this browser cannot decode (HEIC outside Safari): the server reads those itself. */
import { $, button, doc, h } from './dom.js';

const SHAPES = [
  ['Free', 0],
  ['16:9', 16 / 9],
  ['4:3', 4 / 3],
  ['1:1', 1],
  ['3:4', 3 / 4],
];
const PREVIEW = 1200; // px: the longest side drawn on screen
const LARGEST = 4096; // px: the longest side uploaded (the server makes smaller sizes itself)
let panels = 0;

/** The file as an upright bitmap, or null when this browser cannot decode it. */
const decode = async (file) => {
  try {
    return await createImageBitmap(file, { imageOrientation: 'from-image' });
  } catch (err) {
    // some browsers decode more in <img> (which also follows EXIF) than in createImageBitmap
    const url = URL.createObjectURL(file);
    try {
      const img = new Image();
      img.src = url;
      await img.decode();
      return await createImageBitmap(img);
    } catch (err2) {
      return null;
    } finally {
      URL.revokeObjectURL(url);
    }
  }
};

const draw = (g, bmp, turn) => {
  // the bitmap turned `turn` quarter turns clockwise, drawn at 0,0 of the turned size
  const [w, h] = turn % 2 ? [bmp.height, bmp.width] : [bmp.width, bmp.height];
  g.save();
  g.translate(w / 2, h / 2);
  g.rotate((turn * Math.PI) / 2);
  g.drawImage(bmp, -bmp.width / 2, -bmp.height / 2);
  g.restore();
};

/**
 * Show the rotate-and-crop panel for `file` in the photo block `row`; `upload(file)` is called
 * with the file to send (edited, or the original). Resolves once the person has chosen.
 */
export const editBeforeUpload = async (row, file, upload) => {
  const heic = /^image\/hei[cf]$/i.test(file.type) || /\.hei[cf]$/i.test(file.name);
  const bmp = typeof createImageBitmap === 'function' ? await decode(file) : null;
  const old = $(':scope > .photoedit', row);
  if (old) old.cancel();
  const told = $(':scope > .photoedit-note', row);
  if (told) told.remove();
  if (!bmp) {
    if (heic) {
      row.insertBefore(
        h('p', {
          class: 'photoedit-note',
          text: 'This browser cannot show HEIC photos, so it is uploaded as it is: rotate or crop it on the phone first if it needs it.',
        }),
        $(':scope > .blk__drop', row),
      );
    }
    return upload(file);
  }

  let turn = 0;
  let shape = 0;
  let W = bmp.width;
  let H = bmp.height;
  let crop = { x: 0, y: 0, w: W, h: H };
  const n = ++panels;
  const canvas = h('canvas', { class: 'photoedit__canvas', 'aria-hidden': 'true' });
  const handle = h('span', { class: 'photoedit__handle', 'aria-hidden': 'true' });
  const size = h('span', { id: 'photoedit-size-' + n });
  const frame = h(
    'div',
    {
      class: 'photoedit__frame',
      tabindex: 0,
      role: 'group',
      'aria-label': 'Crop frame',
      'aria-describedby': 'photoedit-size-' + n + ' photoedit-hint-' + n,
    },
    handle,
  );
  const stage = h('div', { class: 'photoedit__stage' }, canvas, frame);
  const shapeButtons = SHAPES.map(([label, ratio]) =>
    button(label, 'chip chip--plain', () => setShape(ratio), { 'aria-pressed': String(ratio === 0) }),
  );
  const upBtn = button('Upload photo', 'btn btn--primary btn--small', () => finish(true));
  const panel = h(
    'div',
    { class: 'photoedit', role: 'group', 'aria-label': 'Rotate and crop ' + file.name + ' before it is uploaded' },
    stage,
    h(
      'p',
      { class: 'photoedit__size', 'aria-live': 'polite' },
      size,
      h('span', {
        class: 'photoedit__hint',
        id: 'photoedit-hint-' + n,
        text: ' · Drag the frame or its corner. Keyboard: arrow keys move it, Shift + arrow keys resize it.',
      }),
    ),
    h(
      'div',
      { class: 'photoedit__tools' },
      button('Rotate ↻', 'btn btn--small', () => rotate(), { title: 'Turn a quarter turn clockwise' }),
      h(
        'div',
        { class: 'photoedit__shapes', role: 'group', 'aria-labelledby': 'photoedit-crop-' + n },
        h('span', { class: 'photoedit__label', id: 'photoedit-crop-' + n, text: 'Crop' }),
        shapeButtons,
      ),
    ),
    h(
      'div',
      { class: 'photoedit__actions' },
      upBtn,
      button('Upload as it is', 'btn btn--small', () => finish(false)),
      button('Cancel', 'btn btn--small btn--danger-ghost', () => panel.cancel()),
    ),
  );

  const paint = () => {
    const k = Math.min(1, PREVIEW / Math.max(W, H));
    canvas.width = Math.round(W * k);
    canvas.height = Math.round(H * k);
    const g = canvas.getContext('2d');
    g.scale(k, k);
    draw(g, bmp, turn);
  };
  const least = () => Math.max(16, Math.round(Math.min(W, H) * 0.05));
  const place = () => {
    // keep the frame inside the photo, at least `least` px, of the chosen shape
    const c = crop;
    c.w = Math.min(Math.max(c.w, least()), W);
    c.h = Math.min(Math.max(c.h, least()), H);
    if (shape) {
      if (c.w / c.h > shape) c.w = c.h * shape;
      else c.h = c.w / shape;
    }
    c.x = Math.min(Math.max(c.x, 0), W - c.w);
    c.y = Math.min(Math.max(c.y, 0), H - c.h);
    Object.assign(frame.style, {
      left: (100 * c.x) / W + '%',
      top: (100 * c.y) / H + '%',
      width: (100 * c.w) / W + '%',
      height: (100 * c.h) / H + '%',
    });
    const all = full();
    size.textContent =
      Math.round(c.w) +
      ' × ' +
      Math.round(c.h) +
      ' px, ' +
      (all ? 'the whole photo' + (turn ? ', turned' : '') : 'a crop of ' + W + ' × ' + H);
  };
  const full = () => crop.x < 1 && crop.y < 1 && crop.w > W - 1 && crop.h > H - 1;
  const whole = () => !turn && full();
  const setShape = (ratio) => {
    // the largest frame of that shape, centred on the photo
    shape = ratio;
    shapeButtons.forEach((b, i) => b.setAttribute('aria-pressed', String(SHAPES[i][1] === ratio)));
    const w = ratio ? Math.min(W, H * ratio) : W;
    const hh = ratio ? w / ratio : H;
    crop = { x: (W - w) / 2, y: (H - hh) / 2, w, h: hh };
    place();
  };
  const rotate = () => {
    // a quarter turn clockwise: the frame turns with the photo
    const c = crop;
    crop = { x: H - (c.y + c.h), y: c.x, w: c.h, h: c.w };
    [W, H] = [H, W];
    turn = (turn + 1) % 4;
    paint();
    if (shape) {
      const ratio = shape;
      setShape(ratio);
    } else place();
  };

  // dragging: the frame moves, its corner resizes
  let drag = null;
  frame.addEventListener('pointerdown', (ev) => {
    ev.preventDefault();
    frame.focus();
    frame.setPointerCapture(ev.pointerId);
    drag = { resize: ev.target === handle, x: ev.clientX, y: ev.clientY, from: { ...crop } };
  });
  frame.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    const k = W / stage.getBoundingClientRect().width; // photo px per screen px
    const dx = (ev.clientX - drag.x) * k;
    const dy = (ev.clientY - drag.y) * k;
    const f = drag.from;
    if (drag.resize) {
      let w = Math.min(f.w + dx, W - f.x);
      let hh = Math.min(f.h + dy, H - f.y);
      if (shape) {
        // the corner follows the larger move; the frame keeps its shape and stays inside
        w = Math.min(Math.max(w, hh * shape), W - f.x, (H - f.y) * shape);
        hh = w / shape;
      }
      crop = { x: f.x, y: f.y, w, h: hh };
    } else crop = { ...f, x: f.x + dx, y: f.y + dy };
    place();
  });
  const stop = () => {
    drag = null;
  };
  frame.addEventListener('pointerup', stop);
  frame.addEventListener('pointercancel', stop);
  frame.addEventListener('keydown', (ev) => {
    const step = Math.max(1, Math.round(Math.max(W, H) * 0.02));
    const d = { ArrowLeft: [-1, 0], ArrowRight: [1, 0], ArrowUp: [0, -1], ArrowDown: [0, 1] }[ev.key];
    if (!d) return;
    ev.preventDefault();
    if (ev.shiftKey && shape) {
      // right / down grow it, left / up shrink it, keeping its shape and staying inside
      const w = Math.min(crop.w + (d[0] + d[1]) * step, W - crop.x, (H - crop.y) * shape);
      crop = { ...crop, w, h: w / shape };
    } else if (ev.shiftKey) {
      // ← → change the width, ↑ ↓ the height
      crop = {
        ...crop,
        w: Math.min(crop.w + d[0] * step, W - crop.x),
        h: Math.min(crop.h + d[1] * step, H - crop.y),
      };
    } else crop = { ...crop, x: crop.x + d[0] * step, y: crop.y + d[1] * step };
    place();
  });
  panel.addEventListener('keydown', (ev) => ev.key === 'Escape' && panel.cancel());

  const close = () => {
    panel.remove();
    bmp.close();
  };
  let done;
  const chosen = new Promise((resolve) => (done = resolve));
  panel.cancel = () => {
    close();
    done(null);
  };
  const finish = async (edited) => {
    if (!edited || whole()) {
      close();
      return done(upload(file));
    }
    const c = crop;
    const k = Math.min(1, LARGEST / Math.max(c.w, c.h));
    const out = doc.createElement('canvas');
    out.width = Math.max(1, Math.round(c.w * k));
    out.height = Math.max(1, Math.round(c.h * k));
    const g = out.getContext('2d');
    g.fillStyle = '#fff'; // transparent PNG areas become white, not black, in a JPEG
    g.fillRect(0, 0, out.width, out.height);
    g.scale(k, k);
    g.translate(-c.x, -c.y);
    draw(g, bmp, turn);
    const blob = await new Promise((resolve) => out.toBlob(resolve, 'image/jpeg', 0.9));
    close();
    if (!blob) return done(upload(file)); // the canvas could not encode: send what was picked
    const name = file.name.replace(/\.[^.]*$/, '') + '.jpg';
    done(upload(new File([blob], name, { type: 'image/jpeg', lastModified: Date.now() })));
  };

  row.insertBefore(panel, $(':scope > .blk__drop', row));
  paint();
  place();
  upBtn.focus();
  return chosen;
};

/** Photo blocks whose photo waits in the rotate-and-crop panel, not yet uploaded. */
export const waitingPhotos = (root) => root.querySelectorAll('.photoedit').length;
