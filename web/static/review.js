// Review page: the page image with its OCR word boxes on the left; the document type, the
// extracted fields (editable) and the audit log on the right. Only changed fields are sent.
'use strict';

(function () {
  const S = window.Sohoa;
  const el = S.el;
  const docID = S.main.dataset.docId;
  const docURL = '/v1/documents/' + encodeURIComponent(docID);

  const heading = document.getElementById('doc-heading');
  const meta = document.getElementById('doc-meta');
  const typeSelect = document.getElementById('doc-type');
  const confidence = document.getElementById('doc-confidence');
  const tabs = document.getElementById('page-tabs');
  const frame = document.getElementById('page-frame');
  const img = document.getElementById('page-image');
  const overlay = document.getElementById('overlay');
  const showWords = document.getElementById('show-words');
  const ocrText = document.getElementById('ocr-text');
  const form = document.getElementById('fields-form');
  const fieldsBody = document.getElementById('fields').tBodies[0];
  const saveButton = document.getElementById('save-button');
  const approveButton = document.getElementById('approve-button');
  const saveStatus = document.getElementById('save-status');
  const overrideBox = document.getElementById('override');
  const overrideReason = document.getElementById('override-reason');
  const imageWithheld = document.getElementById('image-withheld');
  const auditSection = document.getElementById('audit-section');
  const auditBody = document.getElementById('audit').tBodies[0];
  const changesOnly = document.getElementById('audit-changes-only');

  const lowWordConfidence = 60; // Tesseract confidence (0–100) below which a word box is red
  const changeActions = new Set(['correct_field', 'review', 'reclassify']);
  const auditActions = {
    read_document: 'Xem văn bản',
    read_dossier: 'Xem hồ sơ',
    read_person: 'Tra cứu công dân',
    read_original: 'Tải bản gốc',
    correct_field: 'Sửa trường',
    review: 'Đổi trạng thái duyệt',
    reclassify: 'Đổi loại văn bản',
    export: 'Xuất dữ liệu',
    search: 'Tìm kiếm',
  };

  const roles = { clerk: 'cán bộ', admin: 'quản trị viên', reader: 'người xem', uploader: 'người tải lên' };
  const documentFacts = { review_state: 'Trạng thái duyệt', doc_type: 'Loại văn bản' };

  let doc = null;
  let pageIndex = 0;
  let rows = new Map(); // field name → {row, input, original, editable}
  let activeField = '';
  let auditEntries = [];

  function boxIsEmpty(b) {
    return !b || (b[0] === 0 && b[1] === 0 && b[2] === 0 && b[3] === 0);
  }

  // place positions a box given in image pixels, in percent of the image, so it follows the
  // image at any displayed size without recomputing.
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

  // drawField outlines the active field's box when it lies on the page shown.
  function drawField() {
    const old = overlay.querySelector('.field-box');
    if (old) old.remove();
    const f = activeField && doc.fields[activeField];
    const p = doc.pages[pageIndex];
    if (!f || !p || f.page !== p.number || boxIsEmpty(f.bbox)) return null;
    const [w, h] = imageSize();
    if (!w || !h) return null;
    const div = place(el('div', { class: 'field-box', title: S.fieldLabel(activeField) }), f.bbox, w, h);
    overlay.append(div);
    return div;
  }

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
    document.getElementById('ocr-text-block').hidden = pages.length === 0;
    tabs.replaceChildren(...pages.map((p, i) => el('button', {
      type: 'button', 'aria-pressed': 'false', onclick: () => showPage(i),
    }, 'Trang ' + p.number)));
    if (pages.length === 0) {
      tabs.replaceChildren(el('p', { class: 'muted' }, 'Chưa có ảnh trang: văn bản đang được xử lý hoặc bị lỗi.'));
      return;
    }
    showPage(Math.min(pageIndex, pages.length - 1));
  }

  function focusField(name, follow) {
    activeField = name;
    for (const [n, r] of rows) r.row.classList.toggle('active', n === name);
    const f = doc.fields[name];
    if (follow && f && f.page && doc.pages) {
      const i = doc.pages.findIndex((p) => p.number === f.page);
      if (i >= 0 && i !== pageIndex) showPage(i);
    }
    const box = drawField();
    if (follow && box) box.scrollIntoView({ block: 'nearest' });
  }

  function blurField(name) {
    // Switching to another window blurs the input too; keep the highlight for when the
    // clerk comes back.
    if (activeField !== name || !document.hasFocus()) return;
    const focused = document.activeElement && document.activeElement.closest('tr[data-field]');
    focusField(focused ? focused.dataset.field : '', false);
  }

  function validityCell(f) {
    if (!f) return el('td', { class: 'muted' }, 'Chưa có');
    return f.valid
      ? el('td', { class: 'valid' }, '✓ Hợp lệ')
      : el('td', { class: 'invalid' }, '✗ Không hợp lệ');
  }

  // renderFields lists the fields of the chosen type, then any stored field the type does
  // not have (read-only: the API only accepts the type's fields). Values typed so far are kept.
  function renderFields() {
    const typed = new Map(Array.from(rows, ([n, r]) => [n, r.input.value]));
    const type = S.types.get(typeSelect.value);
    const names = type ? type.fields.slice() : [];
    for (const n of Object.keys(doc.fields).sort()) if (!names.includes(n)) names.push(n);
    rows = new Map();
    const trs = names.map((name) => {
      const f = doc.fields[name];
      const editable = !!type && type.fields.includes(name);
      const original = f ? f.value : '';
      const id = 'field-' + name;
      const input = el('input', {
        id, name, value: typed.has(name) ? typed.get(name) : original, autocomplete: 'off',
        readOnly: !editable, spellcheck: false,
      });
      const label = el('th', { scope: 'row' }, el('label', { for: id }, S.fieldLabel(name)));
      if (!editable) label.append(el('span', { class: 'source' }, 'không thuộc loại văn bản đã chọn'));
      const src = f ? (f.source === 'clerk' ? 'Cán bộ đã sửa' : 'Máy trích xuất') : '';
      const row = el('tr', { 'data-field': name },
        label,
        el('td', {}, input, src ? el('span', { class: 'source' }, src) : null),
        el('td', {}, f ? S.formatPercent(f.confidence) : '–'),
        validityCell(f));
      const r = { row, input, original, editable };
      rows.set(name, r);
      const markDirty = () => row.classList.toggle('dirty', editable && input.value.trim() !== original);
      input.addEventListener('input', markDirty);
      markDirty();
      input.addEventListener('focus', () => focusField(name, true));
      input.addEventListener('blur', () => blurField(name));
      row.addEventListener('mouseenter', () => focusField(name, false));
      row.addEventListener('mouseleave', () => blurField(name));
      return row;
    });
    fieldsBody.replaceChildren(...trs);
    if (trs.length === 0) {
      fieldsBody.append(el('tr', {}, el('td', { colspan: '4', class: 'muted' }, 'Loại văn bản này không có trường nào để trích xuất.')));
    }
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
    document.getElementById('review-state').replaceWith(badge);
    rows = new Map();
    renderFields();
    renderPages();
  }

  async function load() {
    doc = await S.api(docURL + '?words=1');
    doc.fields = doc.fields || {};
    doc.pages = doc.pages || [];
    renderDocument();
  }

  function auditValue(e, v) {
    if (!v) return '';
    if (e.field === 'doc_type') return S.typeName(v);
    if (e.field === 'review_state') return S.reviewState[v] || v;
    return v;
  }

  function renderAudit() {
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
  changesOnly.addEventListener('change', renderAudit);

  // loadAudit shows the log to clerks and admins; other roles get 403 and see no panel.
  async function loadAudit() {
    try {
      auditEntries = await S.api(docURL + '/audit') || [];
      auditSection.hidden = false;
      S.clearMessages(document.getElementById('audit-error'));
      renderAudit();
      S.main.dataset.audit = 'shown';
    } catch (err) {
      if (err instanceof S.ApiError && err.status === 403) {
        auditSection.hidden = true;
        S.main.dataset.audit = 'forbidden';
        return;
      }
      auditSection.hidden = false;
      S.main.dataset.audit = 'error';
      S.showError(document.getElementById('audit-error'), err, 'Không tải được lịch sử thay đổi');
    }
  }

  function changedFields() {
    const out = {};
    for (const [name, r] of rows) {
      const v = r.input.value.trim();
      if (r.editable && v !== r.original) out[name] = v;
    }
    return out;
  }

  // save sends what the clerk changed: the type first (the API checks field names against
  // the stored type), then the changed fields, then, when approving, the decision.
  async function save(approve) {
    const newType = typeSelect.value;
    const typeChanged = newType !== (doc.doc_type || 'khac');
    const changes = changedFields();
    const n = Object.keys(changes).length;
    if (!approve && !typeChanged && n === 0) {
      saveStatus.replaceChildren('Không có thay đổi nào để lưu.');
      return;
    }
    saveButton.disabled = approveButton.disabled = true;
    saveStatus.replaceChildren('Đang lưu…');
    let typeSent = false;
    const done = [];
    try {
      if (typeChanged && (!approve || n > 0)) {
        await S.api(docURL + '/review', { method: 'POST', json: { state: 'needs_review', doc_type: newType } });
        typeSent = true;
        done.push('đã đổi loại văn bản');
      }
      if (n > 0) {
        await S.api(docURL + '/fields', { method: 'PATCH', json: { fields: changes } });
        done.push('đã lưu ' + n + ' trường');
      }
      if (approve) {
        const body = { state: 'approved' };
        if (typeChanged && !typeSent) body.doc_type = newType;
        const reason = overrideReason.value.trim();
        if (!overrideBox.hidden && reason) body.override_reason = reason;
        await S.api(docURL + '/review', { method: 'POST', json: body });
        done.push('đã duyệt văn bản');
      }
      rows = new Map();
      overrideBox.hidden = true;
      overrideReason.value = '';
      await load();
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
      saveButton.disabled = approveButton.disabled = false;
      loadAudit();
    }
  }

  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    save(false);
  });
  approveButton.addEventListener('click', () => save(true));
  form.addEventListener('keydown', (ev) => {
    if ((ev.ctrlKey || ev.metaKey) && ev.key === 's') {
      ev.preventDefault();
      save(false);
    }
  });
  typeSelect.addEventListener('change', () => {
    renderFields();
    if (typeSelect.value !== (doc.doc_type || 'khac')) {
      saveStatus.replaceChildren('Loại văn bản sẽ được đổi khi bạn lưu hoặc duyệt.');
    }
  });

  load().then(loadAudit, (err) => {
    S.showError(null, err, 'Không tải được văn bản');
    form.hidden = true;
  });
})();
