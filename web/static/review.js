// Review page: the page image (zoom and pan) with its OCR word boxes on the left; the document
// type, the extracted fields and the audit log on the right. The selected field's box is
// outlined on the page and shown magnified beside its input. Fields the pipeline flagged show
// why, and the document can be approved only when each is confirmed or corrected. Only
// changed fields are sent. Opened from the queue, the page knows its place in it (the filter
// and the item's cursor in the address) and "next document" continues from there.
'use strict';

(function () {
  const S = window.Sohoa;
  const el = S.el;
  const docID = S.main.dataset.docId;
  const canReview = S.main.dataset.canReview === 'true';
  const docURL = '/v1/documents/' + encodeURIComponent(docID);
  const params = new URLSearchParams(location.search);
  const fromQueue = params.get('hang_doi') === '1';
  const queueFilter = S.queueFilter(params);

  const $ = (id) => document.getElementById(id);
  const heading = $('doc-heading');
  const meta = $('doc-meta');
  const typeSelect = $('doc-type');
  const confidence = $('doc-confidence');
  const docReasons = $('doc-reasons');
  const tabs = $('page-tabs');
  const frame = $('page-frame');
  const canvas = $('page-canvas');
  const img = $('page-image');
  const overlay = $('overlay');
  const showWords = $('show-words');
  const zoomLevel = $('zoom-level');
  const ocrText = $('ocr-text');
  const form = $('fields-form');
  const fieldsBody = $('fields').tBodies[0];
  const flagSummary = $('flag-summary');
  const saveButton = $('save-button');
  const approveButton = $('approve-button');
  const approveNextButton = $('approve-next-button');
  const sendBackButton = $('send-back-button');
  const nextDocButton = $('next-doc-button');
  const saveStatus = $('save-status');
  const overrideBox = $('override');
  const overrideReason = $('override-reason');
  const imageWithheld = $('image-withheld');
  const auditSection = $('audit-section');
  const helpOverlay = $('help-overlay');
  const actionButtons = [saveButton, approveButton, approveNextButton, sendBackButton].filter(Boolean);

  const lowWordConfidence = 60; // Tesseract confidence (0–100) below which a word box is red
  const changeActions = new Set(['correct_field', 'confirm_field', 'review', 'reclassify', 'approve_override']);
  const auditActions = {
    read_document: 'Xem văn bản',
    read_page_image: 'Xem ảnh trang',
    read_dossier: 'Xem hồ sơ',
    read_person: 'Tra cứu công dân',
    read_original: 'Tải bản gốc',
    read_queue: 'Xem hàng đợi duyệt',
    correct_field: 'Sửa trường',
    review: 'Đổi trạng thái duyệt',
    reclassify: 'Đổi loại văn bản',
    approve_override: 'Duyệt khi còn lỗi',
    confirm_field: 'Xác nhận trường',
    export: 'Xuất dữ liệu',
    search: 'Tìm kiếm',
  };
  const roles = { clerk: 'cán bộ', admin: 'quản trị viên', reader: 'người xem', uploader: 'người tải lên' };
  const documentFacts = { review_state: 'Trạng thái duyệt', doc_type: 'Loại văn bản' };
  // Free-text fields whose values run long: typed in a text area.
  const longFields = new Set(['subject', 'recipient', 'request', 'residence', 'place_of_birth', 'place_of_origin',
    'address', 'head_office_address', 'applicant_address', 'cause_of_death', 'land_use_purpose', 'land_origin', 'issuer']);
  const zoomSteps = [1, 1.5, 2, 3, 4];

  let doc = null;
  let pageIndex = 0;
  let rows = new Map(); // field name → row state (see renderFields)
  let activeField = ''; // outlined on the page: the focused field, or the one under the mouse
  // Magnified beside its input: the field last focused. It stays when the focus leaves for a
  // button or the row's checkbox and changes only with the next field, so nothing moves
  // under the mouse.
  let cropField = '';
  let auditEntries = [];
  let zoom = 1;
  let busy = false;

  // ---- Values: what the clerk types and what the API stores ----

  // A date is typed dd/mm/yyyy and stored YYYY-MM-DD; a year alone stays a year.
  function dateToInput(v) {
    const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(v || '');
    return m ? m[3] + '/' + m[2] + '/' + m[1] : (v || '');
  }
  function dateFromInput(v) {
    const t = v.trim();
    if (t === '' || /^\d{4}$/.test(t)) return { value: t };
    const m = /^(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})$/.exec(t);
    if (!m) return { error: 'Ngày phải viết dạng dd/mm/yyyy (hoặc chỉ năm yyyy)' };
    const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
    const date = new Date(Date.UTC(y, mo - 1, d));
    if (date.getUTCFullYear() !== y || date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d) {
      return { error: 'Ngày ' + t + ' không có trên lịch' };
    }
    return { value: y + '-' + String(mo).padStart(2, '0') + '-' + String(d).padStart(2, '0') };
  }

  // input builds the control of a field by its format: dates as dd/mm/yyyy, booleans as
  // Có/Không, long text in a text area.
  function fieldInput(name, format, value, editable) {
    const id = 'field-' + name;
    if (format === 'bool') {
      return el('select', { id, name, disabled: !editable },
        el('option', { value: '', selected: value === '' }, '(chưa có)'),
        el('option', { value: 'true', selected: value === 'true' }, 'Có'),
        el('option', { value: 'false', selected: value === 'false' }, 'Không'));
    }
    const long = (format === 'text' || format === 'name' || !format) && (longFields.has(name) || value.length > 50);
    const attrs = { id, name, autocomplete: 'off', readOnly: !editable, spellcheck: false };
    if (format === 'date') {
      Object.assign(attrs, { placeholder: 'dd/mm/yyyy', inputmode: 'numeric', value: dateToInput(value) });
      return el('input', attrs);
    }
    if (long) {
      const ta = el('textarea', Object.assign(attrs, { rows: value.length > 120 ? 4 : 2 }));
      ta.value = value;
      return ta;
    }
    attrs.value = value;
    return el('input', attrs);
  }

  // apiValue is what the row's control holds, as the API takes it, or an error for the clerk.
  function apiValue(r) {
    const v = r.input.value;
    if (r.format === 'date') return dateFromInput(v);
    return { value: v.trim().replace(/\s+/g, ' ') };
  }

  // ---- Page image: zoom, pan, word and field boxes ----

  function boxIsEmpty(b) {
    return !b || (b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0);
  }

  // place positions a box given in image pixels, in percent of the image, so it follows the
  // image at any zoom without recomputing.
  function place(div, box, w, h) {
    div.style.left = (100 * box[0] / w) + '%';
    div.style.top = (100 * box[1] / h) + '%';
    div.style.width = (100 * (box[2] - box[0]) / w) + '%';
    div.style.height = (100 * (box[3] - box[1]) / h) + '%';
    return div;
  }

  function imageSize() {
    const p = doc.pages[pageIndex];
    return [img.naturalWidth || p.width, img.naturalHeight || p.height];
  }

  function drawWords() {
    const p = doc.pages[pageIndex];
    const [w, h] = imageSize();
    if (!w || !h) return;
    const boxes = (p.words || []).map((word) => {
      const div = el('div', {
        class: 'word-box' + (word.confidence < lowWordConfidence ? ' low' : ''),
        title: word.text + ' (' + Math.round(word.confidence) + ')',
      });
      return place(div, word.box, w, h);
    });
    overlay.replaceChildren(...boxes);
    drawField();
  }

  // boxOf returns a field's box when it lies on the page shown.
  function boxOf(name) {
    const f = name && doc.fields[name];
    const p = doc.pages[pageIndex];
    if (!f || !p || f.page !== p.number || boxIsEmpty(f.bbox) || !p.image_url) return null;
    return f.bbox;
  }

  // drawField outlines the active field's box on the page, and shows the last focused field's
  // box magnified in its row; hovering other rows moves the outline only, never the layout.
  function drawField() {
    const old = overlay.querySelector('.field-box');
    if (old) old.remove();
    const [w, h] = imageSize();
    for (const [n, r] of rows) {
      const cb = n === cropField && w && h ? boxOf(n) : null;
      if (cb) drawCrop(r, cb);
      else r.crop.hidden = true;
    }
    const b = boxOf(activeField);
    if (!b || !w || !h) return null;
    const div = place(el('div', { class: 'field-box', title: S.fieldLabel(activeField) }), b, w, h);
    overlay.append(div);
    return div;
  }

  // drawCrop draws the field's box, with a margin, into the canvas under its input: the clerk
  // compares the value with the paper without looking away.
  function drawCrop(r, b) {
    if (!r || !img.complete || !img.naturalWidth) return;
    const pad = Math.round(0.4 * (b[3] - b[1])) + 6;
    const sx = Math.max(0, b[0] - pad);
    const sy = Math.max(0, b[1] - pad);
    const sw = Math.min(img.naturalWidth, b[2] + pad) - sx;
    const sh = Math.min(img.naturalHeight, b[3] + pad) - sy;
    if (sw <= 0 || sh <= 0) return;
    const scale = Math.min(3, 900 / sw); // magnified, but never wider than a screen needs
    r.crop.width = Math.round(sw * scale);
    r.crop.height = Math.round(sh * scale);
    const ctx = r.crop.getContext('2d');
    ctx.imageSmoothingQuality = 'high';
    ctx.drawImage(img, sx, sy, sw, sh, 0, 0, r.crop.width, r.crop.height);
    r.crop.hidden = false;
  }

  function setZoom(z, keepCenter) {
    const cx = (frame.scrollLeft + frame.clientWidth / 2) / (canvas.offsetWidth || 1);
    const cy = (frame.scrollTop + frame.clientHeight / 2) / (canvas.offsetHeight || 1);
    zoom = Math.min(zoomSteps[zoomSteps.length - 1], Math.max(1, z));
    canvas.style.width = (zoom * 100) + '%';
    frame.classList.toggle('zoomed', zoom > 1);
    zoomLevel.textContent = Math.round(zoom * 100) + '%';
    if (keepCenter) {
      frame.scrollLeft = cx * canvas.offsetWidth - frame.clientWidth / 2;
      frame.scrollTop = cy * canvas.offsetHeight - frame.clientHeight / 2;
    }
    const box = overlay.querySelector('.field-box');
    if (box && zoom > 1) box.scrollIntoView({ block: 'center', inline: 'center' });
  }
  function zoomStep(dir) {
    const i = zoomSteps.findIndex((s) => s >= zoom - 1e-9);
    setZoom(zoomSteps[Math.max(0, Math.min(zoomSteps.length - 1, (i < 0 ? 0 : i) + dir))], true);
  }
  $('zoom-in').addEventListener('click', () => zoomStep(1));
  $('zoom-out').addEventListener('click', () => zoomStep(-1));
  $('zoom-fit').addEventListener('click', () => setZoom(1, false));
  frame.addEventListener('wheel', (ev) => {
    if (!ev.ctrlKey) return; // plain wheel scrolls, as everywhere else
    ev.preventDefault();
    zoomStep(ev.deltaY < 0 ? 1 : -1);
  }, { passive: false });
  // Pan by dragging the zoomed page.
  let drag = null;
  frame.addEventListener('pointerdown', (ev) => {
    if (zoom <= 1 || ev.button !== 0) return;
    drag = { x: ev.clientX, y: ev.clientY, left: frame.scrollLeft, top: frame.scrollTop };
    frame.setPointerCapture(ev.pointerId);
    frame.classList.add('panning');
  });
  frame.addEventListener('pointermove', (ev) => {
    if (!drag) return;
    frame.scrollLeft = drag.left - (ev.clientX - drag.x);
    frame.scrollTop = drag.top - (ev.clientY - drag.y);
  });
  const endDrag = () => { drag = null; frame.classList.remove('panning'); };
  frame.addEventListener('pointerup', endDrag);
  frame.addEventListener('pointercancel', endDrag);

  function showPage(i) {
    pageIndex = i;
    const p = doc.pages[i];
    for (const [j, b] of Array.from(tabs.children).entries()) b.setAttribute('aria-pressed', String(j === i));
    overlay.replaceChildren();
    img.alt = 'Ảnh trang ' + p.number + ' của văn bản';
    frame.hidden = !p.image_url;
    imageWithheld.hidden = !p.image_withheld;
    if (!p.image_url) {
      img.removeAttribute('src');
    } else if (img.getAttribute('src') !== p.image_url) {
      img.src = p.image_url;
    } else {
      drawWords();
    }
    ocrText.textContent = p.text || '(Trang này chưa có chữ nhận dạng được.)';
  }

  img.addEventListener('load', drawWords);
  img.addEventListener('error', () => {
    S.showError(null, 'Không tải được ảnh trang', 'Lỗi hiển thị');
  });
  showWords.addEventListener('change', () => overlay.classList.toggle('hide-words', !showWords.checked));

  function renderPages() {
    const pages = doc.pages || [];
    frame.hidden = pages.length === 0;
    $('ocr-text-block').hidden = pages.length === 0;
    tabs.replaceChildren(...pages.map((p, i) => el('button', {
      type: 'button', 'aria-pressed': 'false', onclick: () => showPage(i),
    }, 'Trang ' + p.number)));
    if (pages.length === 0) {
      tabs.replaceChildren(el('p', { class: 'muted' }, 'Chưa có ảnh trang: văn bản đang được xử lý hoặc bị lỗi.'));
      return;
    }
    showPage(Math.min(pageIndex, pages.length - 1));
  }

  // ---- Fields ----

  function focusField(name, follow) {
    activeField = name;
    for (const [n, r] of rows) r.row.classList.toggle('active', n === name);
    const f = doc.fields[name];
    if (follow && f && f.page && doc.pages) {
      const i = doc.pages.findIndex((p) => p.number === f.page);
      if (i >= 0 && i !== pageIndex) showPage(i);
    }
    const box = drawField();
    if (follow && box) box.scrollIntoView({ block: 'nearest', inline: 'nearest' });
  }

  function blurField(name) {
    // Switching to another window blurs the input too; keep the highlight for when the
    // clerk comes back.
    if (activeField !== name || !document.hasFocus()) return;
    const focused = document.activeElement && document.activeElement.closest('tr[data-field]');
    focusField(focused ? focused.dataset.field : '', false);
  }

  // moveField focuses the next (+1) or previous (-1) editable field, wrapping around.
  function moveField(dir) {
    const names = Array.from(rows.keys()).filter((n) => rows.get(n).editable || !canReview);
    if (names.length === 0) return;
    let i = names.indexOf(activeField);
    i = i < 0 ? (dir > 0 ? 0 : names.length - 1) : (i + dir + names.length) % names.length;
    const input = rows.get(names[i]).input;
    input.focus();
    if (input.select) input.select();
  }

  function validityCell(f) {
    if (!f) return el('td', { class: 'muted' }, 'Chưa có');
    return f.valid
      ? el('td', { class: 'valid' }, '✓ Hợp lệ')
      : el('td', { class: 'invalid' }, '✗ Không hợp lệ');
  }

  // flaggedFields are the fields a clerk must confirm or correct before approving: those the
  // pipeline gave a reason for, and any value that does not validate.
  function flaggedFields() {
    const out = new Map();
    for (const r of doc.review_reasons || []) {
      if (!r.field) continue;
      out.set(r.field, (out.has(r.field) ? out.get(r.field) + '; ' : '') + r.message);
    }
    for (const [name, f] of Object.entries(doc.fields)) {
      if (!f.valid && !out.has(name)) out.set(name, 'Giá trị không hợp lệ');
    }
    return out;
  }

  function dirty(r) {
    const v = apiValue(r);
    return r.editable && (v.error !== undefined || v.value !== r.original);
  }

  // pending lists the flagged fields neither confirmed nor corrected.
  function pending() {
    return Array.from(rows.values()).filter((r) => r.flag && r.editable && !r.confirm.checked && !dirty(r));
  }

  function updateFlags() {
    for (const r of rows.values()) {
      r.row.classList.toggle('dirty', dirty(r));
      r.row.classList.toggle('done', !!r.flag && (r.confirm.checked || dirty(r)));
    }
    if (!flagSummary) return;
    const flagged = Array.from(rows.values()).filter((r) => r.flag && r.editable).length;
    const left = pending().length;
    flagSummary.textContent = flagged === 0
      ? 'Không có trường nào bị đánh dấu cần kiểm tra.'
      : 'Đã kiểm tra ' + (flagged - left) + '/' + flagged + ' trường bị đánh dấu' +
        (left ? ': xác nhận (Enter) hoặc sửa từng trường trước khi duyệt.' : '.');
    S.main.dataset.pending = String(left);
  }

  // renderFields lists the fields of the chosen type, then any stored field the type does
  // not have (read-only: the API only accepts the type's fields). Values typed so far and
  // confirmations are kept.
  function renderFields() {
    const typed = new Map(Array.from(rows, ([n, r]) => [n, { value: r.input.value, confirmed: r.confirm.checked }]));
    const type = S.types.get(typeSelect.value);
    const names = type ? type.fields.slice() : [];
    for (const n of Object.keys(doc.fields).sort()) if (!names.includes(n)) names.push(n);
    const flags = flaggedFields();
    rows = new Map();
    const trs = names.map((name) => {
      const f = doc.fields[name];
      const editable = canReview && !!type && type.fields.includes(name);
      const format = type && type.formats ? type.formats[name] : '';
      const original = f ? f.value : '';
      const input = fieldInput(name, format, original, editable);
      if (typed.has(name)) input.value = typed.get(name).value;
      const label = el('th', { scope: 'row' }, el('label', { for: input.id }, S.fieldLabel(name)));
      if (type && !type.fields.includes(name)) label.append(el('span', { class: 'source' }, 'không thuộc loại văn bản đã chọn'));
      const flag = flags.get(name) || '';
      const src = f ? (f.source === 'clerk' ? 'Cán bộ đã sửa' : 'Máy trích xuất') : '';
      const crop = el('canvas', { class: 'field-crop', hidden: true, 'aria-hidden': 'true' });
      const confirm = el('input', { type: 'checkbox', id: 'confirm-' + name, class: 'confirm' });
      if (typed.has(name)) confirm.checked = typed.get(name).confirmed;
      const cell = el('td', {}, input, crop,
        flag ? el('span', { class: 'reason', id: 'reason-' + name }, '⚠ ' + flag) : null,
        flag && editable ? el('label', { class: 'check confirm-label' }, confirm, ' Đã kiểm tra, giá trị đúng') : null,
        src ? el('span', { class: 'source' }, src) : null,
        f && f.read ? el('span', { class: 'source', id: 'read-' + name }, 'Máy đọc được “' + f.read + '” và đã tự sửa') : null);
      if (flag) input.setAttribute('aria-describedby', 'reason-' + name);
      const row = el('tr', { 'data-field': name, class: flag ? 'flagged' : '' },
        label, cell,
        el('td', {}, f ? S.formatPercent(f.confidence) : '–'),
        validityCell(f));
      const r = { row, input, original, editable, format, flag, crop, confirm };
      rows.set(name, r);
      const changed = () => {
        const v = apiValue(r);
        input.setAttribute('aria-invalid', String(v.error !== undefined));
        input.title = v.error || '';
        updateFlags();
      };
      input.addEventListener('input', changed);
      input.addEventListener('change', changed);
      confirm.addEventListener('change', updateFlags);
      input.addEventListener('focus', () => {
        cropField = name;
        focusField(name, true);
      });
      input.addEventListener('blur', () => blurField(name));
      input.addEventListener('keydown', (ev) => {
        // Enter confirms the field as it stands and moves on; a value is one line, so a
        // text area takes no new lines either.
        if (ev.key === 'Enter' && !ev.ctrlKey && !ev.metaKey && !ev.altKey && !ev.shiftKey && editable) {
          ev.preventDefault();
          if (r.flag && !dirty(r)) confirm.checked = true;
          updateFlags();
          moveField(1);
        }
      });
      row.addEventListener('mouseenter', () => focusField(name, false));
      row.addEventListener('mouseleave', () => blurField(name));
      return row;
    });
    fieldsBody.replaceChildren(...trs);
    if (trs.length === 0) {
      fieldsBody.append(el('tr', {}, el('td', { colspan: '4', class: 'muted' }, 'Loại văn bản này không có trường nào để trích xuất.')));
    }
    updateFlags();
    if (activeField) drawField();
  }

  function renderDocument() {
    const number = doc.fields.number ? doc.fields.number.value : '';
    heading.textContent = [S.typeName(doc.doc_type), number].filter(Boolean).join(' ') || doc.file_name;
    document.title = heading.textContent + ' · Số hóa hồ sơ';
    meta.replaceChildren(
      'Tệp: ' + doc.file_name + ' · Hồ sơ: ',
      el('a', { href: '/ho-so/' + encodeURIComponent(doc.dossier_id) }, doc.dossier_id),
      ' · ', S.statusBadge(doc.status), ' · ' + doc.page_count + ' trang');
    // original_url comes only to roles that may see personal data.
    if (doc.original_url) meta.append(' · ', el('a', { href: doc.original_url }, 'Tải bản gốc'));
    if (doc.error) meta.append(el('span', { class: 'alert' }, doc.error));
    typeSelect.value = doc.doc_type || 'khac';
    confidence.textContent = doc.doc_type ? S.formatPercent(doc.doc_type_confidence || 0) : '–';
    const badge = S.reviewBadge(doc.review_state);
    badge.id = 'review-state';
    $('review-state').replaceWith(badge);
    docReasons.replaceChildren(...(doc.review_reasons || []).filter((r) => !r.field)
      .map((r) => el('li', { class: 'reason' }, '⚠ ' + r.message)));
    rows = new Map();
    renderFields();
    renderPages();
  }

  async function load() {
    doc = await S.api(docURL + '?words=1');
    doc.fields = doc.fields || {};
    doc.pages = doc.pages || [];
    renderDocument();
    S.main.dataset.loaded = 'true';
    // Other scripts of the page (boundary.js) use the document without reading it again.
    document.dispatchEvent(new CustomEvent('sohoa:document', { detail: doc }));
  }

  // ---- Audit log (clerks and admins: the template leaves it out for other roles) ----

  function auditValue(e, v) {
    if (!v) return '';
    if (e.field === 'doc_type') return S.typeName(v);
    if (e.field === 'review_state') return S.reviewState[v] || v;
    return v;
  }

  function renderAudit() {
    const changesOnly = $('audit-changes-only');
    const auditBody = $('audit').tBodies[0];
    const shown = auditEntries.filter((e) => !changesOnly.checked || changeActions.has(e.action));
    auditBody.replaceChildren(...shown.map((e) => el('tr', {},
      el('td', {}, S.formatTime(e.at)),
      el('td', {}, e.actor + (e.role ? ' (' + (roles[e.role] || e.role) + ')' : '')),
      el('td', {}, auditActions[e.action] || e.action),
      el('td', {}, e.field ? (documentFacts[e.field] || S.fieldLabel(e.field)) : ''),
      el('td', {}, auditValue(e, e.old_value)),
      el('td', {}, auditValue(e, e.new_value)))));
    if (shown.length === 0) {
      auditBody.append(el('tr', {}, el('td', { colspan: '6', class: 'muted' }, 'Chưa có thay đổi nào.')));
    }
  }

  async function loadAudit() {
    if (!auditSection) return;
    try {
      auditEntries = await S.api(docURL + '/audit') || [];
      auditSection.hidden = false;
      S.clearMessages($('audit-error'));
      renderAudit();
      S.main.dataset.audit = 'shown';
    } catch (err) {
      auditSection.hidden = false;
      S.main.dataset.audit = 'error';
      S.showError($('audit-error'), err, 'Không tải được lịch sử thay đổi');
    }
  }
  if (auditSection) $('audit-changes-only').addEventListener('change', renderAudit);

  // ---- Saving, approving, moving on ----

  // changedFields returns the values to send, or throws the first value the clerk must fix.
  function changedFields() {
    const out = {};
    for (const [name, r] of rows) {
      if (!r.editable) continue;
      const v = apiValue(r);
      if (v.error) {
        r.input.focus();
        throw new Error(S.fieldLabel(name) + ': ' + v.error);
      }
      if (v.value !== r.original) out[name] = v.value;
    }
    return out;
  }

  function setBusy(b) {
    busy = b;
    for (const btn of actionButtons) btn.disabled = b;
  }

  // nextDocument finds the document after this one in the queue it was opened from (or, when
  // it was opened elsewhere, the first other document needing review); null at the end.
  async function nextDocument() {
    const q = new URLSearchParams(queueFilter);
    const cursor = params.get('sau');
    if (fromQueue && cursor) {
      q.set('after', cursor);
      q.set('limit', '1');
    } else {
      q.set('limit', '2');
    }
    const page = await S.api('/v1/review/queue?' + q.toString());
    const next = page.items.find((it) => it.id !== docID);
    return next || null;
  }

  async function openNext() {
    const next = await nextDocument();
    if (!next) {
      const q = new URLSearchParams(queueFilter);
      if (!queueFilter.review_state) q.set('review_state', 'all');
      q.set('het', '1');
      location.assign('/hang-doi?' + q.toString());
      return;
    }
    location.assign(S.reviewURL(next.id, queueFilter, next.cursor));
  }

  async function goNext() {
    if (busy) return;
    setBusy(true);
    try {
      await openNext();
    } catch (err) {
      S.showError(saveStatus, err, 'Không mở được văn bản tiếp theo');
      setBusy(false);
    }
  }

  // save sends what the clerk changed: the type first (the API checks field names against
  // the stored type), then the changed fields, then the decision (approve, send back).
  // It returns true when everything was stored.
  async function save(decision) {
    if (busy) return false;
    const approve = decision === 'approved';
    let changes;
    try {
      changes = changedFields();
    } catch (err) {
      S.showError(saveStatus, err.message, 'Chưa lưu được');
      return false;
    }
    if (approve) {
      const left = pending();
      if (left.length) {
        left[0].input.focus();
        S.showError(saveStatus, 'Còn ' + left.length + ' trường bị đánh dấu chưa xác nhận hoặc sửa: ' +
          left.map((r) => S.fieldLabel(r.row.dataset.field)).join(', '), 'Chưa duyệt được');
        return false;
      }
    }
    // What the clerk confirmed as it stands goes with the approval, which the API refuses
    // while a flagged field is neither confirmed nor corrected; corrected ones are sent as
    // corrections.
    const confirmedFields = Array.from(rows.values()).filter((r) => r.flag && r.editable && r.confirm.checked && !dirty(r))
      .map((r) => r.row.dataset.field);
    const newType = typeSelect.value;
    const typeChanged = newType !== (doc.doc_type || 'khac');
    const n = Object.keys(changes).length;
    if (!decision && !typeChanged && n === 0) {
      saveStatus.replaceChildren('Không có thay đổi nào để lưu.');
      return true;
    }
    setBusy(true);
    saveStatus.replaceChildren('Đang lưu…');
    let typeSent = false;
    const done = [];
    let ok = false;
    try {
      if (typeChanged && (!decision || n > 0)) {
        await S.api(docURL + '/review', { method: 'POST', json: { state: 'needs_review', doc_type: newType } });
        typeSent = true;
        done.push('đã đổi loại văn bản');
      }
      if (n > 0) {
        await S.api(docURL + '/fields', { method: 'PATCH', json: { fields: changes } });
        done.push('đã lưu ' + n + ' trường');
      }
      if (decision) {
        const body = { state: decision };
        if (typeChanged && !typeSent) body.doc_type = newType;
        const reason = overrideReason.value.trim();
        if (approve && !overrideBox.hidden && reason) body.override_reason = reason;
        if (approve && confirmedFields.length) body.confirmed_fields = confirmedFields;
        await S.api(docURL + '/review', { method: 'POST', json: body });
        done.push(approve ? 'đã duyệt văn bản' : 'đã trả lại văn bản (cần duyệt)');
      }
      ok = true;
      const confirmed = new Map(Array.from(rows, ([name, r]) => [name, r.confirm.checked]));
      rows = new Map();
      overrideBox.hidden = true;
      overrideReason.value = '';
      await load();
      // What the clerk confirmed stays confirmed after a save.
      for (const [name, r] of rows) if (confirmed.get(name)) r.confirm.checked = true;
      updateFlags();
      const msg = done.join(', ');
      saveStatus.replaceChildren(el('span', { class: 'ok' }, msg.charAt(0).toUpperCase() + msg.slice(1) + '.'));
    } catch (err) {
      if (err instanceof S.ApiError && err.code === 'override_required') {
        // The API refuses to approve with a missing or invalid required field unless the
        // clerk says why; the reason is audited with the approval.
        overrideBox.hidden = false;
        overrideReason.focus();
        err = 'Văn bản còn trường bắt buộc bị thiếu hoặc chưa hợp lệ (xem cột Kiểm tra). Hãy sửa các trường đó, hoặc ghi lý do vào ô bên dưới rồi bấm Duyệt lần nữa';
      }
      S.showError(saveStatus, err, done.length ? 'Chỉ lưu được một phần (' + done.join(', ') + ')' : (approve ? 'Chưa duyệt được' : 'Chưa lưu được'));
      if (done.length) {
        rows = new Map();
        await load().catch(() => {});
      }
    } finally {
      setBusy(false);
      loadAudit();
    }
    return ok;
  }

  async function decideAndNext(decision) {
    if (await save(decision)) await goNext();
  }

  // Enter in a field confirms it (see renderFields), never submits the form: the keypress
  // that would submit is stopped too, whatever became of its keydown.
  form.addEventListener('keypress', (ev) => {
    if (ev.key === 'Enter' && ev.target.closest('#fields')) ev.preventDefault();
  });
  if (canReview) {
    form.addEventListener('submit', (ev) => {
      ev.preventDefault();
      save('');
    });
    approveButton.addEventListener('click', () => save('approved'));
    approveNextButton.addEventListener('click', () => decideAndNext('approved'));
    sendBackButton.addEventListener('click', () => decideAndNext('needs_review'));
    typeSelect.addEventListener('change', () => {
      renderFields();
      if (typeSelect.value !== (doc.doc_type || 'khac')) {
        saveStatus.replaceChildren('Loại văn bản sẽ được đổi khi bạn lưu hoặc duyệt.');
      }
    });
  } else {
    form.addEventListener('submit', (ev) => ev.preventDefault());
  }
  nextDocButton.addEventListener('click', goNext);
  if (fromQueue) {
    const q = new URLSearchParams(queueFilter);
    if (!queueFilter.review_state) q.set('review_state', 'all');
    $('back-to-queue').href = '/hang-doi?' + q.toString();
  }

  // ---- Keyboard ----

  const helpClose = $('help-close');
  let helpReturn = null;
  function showHelp(show) {
    helpOverlay.hidden = !show;
    if (show) {
      helpReturn = document.activeElement;
      helpClose.focus();
    } else if (helpReturn) {
      helpReturn.focus();
    }
  }
  $('help-button').addEventListener('click', () => showHelp(true));
  helpClose.addEventListener('click', () => showHelp(false));
  helpOverlay.addEventListener('click', (ev) => { if (ev.target === helpOverlay) showHelp(false); });

  function typing(t) {
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName)) && t.type !== 'checkbox';
  }

  document.addEventListener('keydown', (ev) => {
    if (!helpOverlay.hidden) {
      if (ev.key === 'Escape') {
        ev.preventDefault();
        showHelp(false);
      }
      return;
    }
    if (!doc) return;
    const inField = typing(ev.target);
    if (ev.altKey && (ev.key === 'ArrowDown' || ev.key === 'ArrowUp')) {
      ev.preventDefault();
      moveField(ev.key === 'ArrowDown' ? 1 : -1);
      return;
    }
    if (canReview && (ev.ctrlKey || ev.metaKey) && ev.key === 'Enter') {
      ev.preventDefault();
      decideAndNext('approved');
      return;
    }
    if (canReview && (ev.ctrlKey || ev.metaKey) && ev.key === 's') {
      ev.preventDefault();
      save('');
      return;
    }
    if (ev.key === 'Escape' && inField) {
      ev.preventDefault();
      ev.target.blur();
      frame.focus({ preventScroll: true });
      return;
    }
    if (inField || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    const actions = {
      '?': () => showHelp(true),
      j: () => moveField(1),
      k: () => moveField(-1),
      n: goNext,
      '+': () => zoomStep(1),
      '=': () => zoomStep(1),
      '-': () => zoomStep(-1),
      '0': () => setZoom(1, false),
    };
    if (canReview) {
      actions.a = () => decideAndNext('approved');
      actions.b = () => decideAndNext('needs_review');
    }
    const act = actions[ev.key.length === 1 ? ev.key.toLowerCase() : ev.key];
    if (act) {
      ev.preventDefault();
      act();
    }
  });

  load().then(() => {
    loadAudit();
    // A clerk working the queue starts on the first flagged field.
    if (canReview && fromQueue) {
      const first = pending()[0];
      if (first) {
        first.input.focus();
        if (first.input.select) first.input.select();
      }
    }
  }, (err) => {
    S.showError(null, err, 'Không tải được văn bản');
    form.hidden = true;
  });
})();
