// Upload page: sends the dossier code and the chosen files to POST /v1/batches (the code
// first: the API needs it before the files), then follows the batch by polling
// GET /v1/batches/{id} every second until every document is indexed or failed.
'use strict';

(function () {
  const S = window.Sohoa;
  const el = S.el;
  const form = document.getElementById('upload-form');
  const dossierInput = document.getElementById('dossier_id');
  const fileInput = document.getElementById('files');
  const folderInput = document.getElementById('folder');
  const timeLeft = document.getElementById('time-left');
  const dropzone = document.getElementById('dropzone');
  const chosenList = document.getElementById('chosen');
  const button = document.getElementById('upload-button');
  const section = document.getElementById('progress-section');
  const sendStatus = document.getElementById('send-status');
  const progress = document.getElementById('progress');
  const progressLabel = document.getElementById('progress-label');
  const itemsBody = document.getElementById('items').tBodies[0];
  const doneNote = document.getElementById('batch-done');
  const pollEvery = 1000;

  // Same shape as record.ParseDossierID, after upper-casing.
  const dossierPattern = /^[0-9A-Z]{1,4}(?:\.[0-9A-Z]{1,4}){0,4}-\d{6}-\d{4,7}$/;
  let chosen = [];
  let pollTimer = 0;

  function formatSize(n) {
    if (n >= 1 << 20) return (n / (1 << 20)).toLocaleString('vi-VN', { maximumFractionDigits: 1 }) + ' MB';
    return Math.max(1, Math.round(n / 1024)).toLocaleString('vi-VN') + ' KB';
  }

  function renderChosen() {
    chosenList.replaceChildren(...chosen.map((f, i) => el('li', {},
      shownName(f) + ' (' + formatSize(f.size) + ') ',
      el('button', {
        type: 'button', class: 'link', 'aria-label': 'Bỏ tệp ' + f.name,
        onclick: () => { chosen.splice(i, 1); renderChosen(); },
      }, 'Bỏ'))));
  }

  // The kinds of file the API takes; in a chosen folder, anything else (Thumbs.db, desktop.ini,
  // a scanner's log) is left out rather than sent to be rejected.
  const accepted = /\.(pdf|tiff?|jpe?g|png|zip)$/i;

  // shownName is a file's path inside the folder it came from, or its name.
  function shownName(f) {
    return f.webkitRelativePath || f.sohoaPath || f.name;
  }

  function addFiles(list) {
    const skipped = [];
    for (const f of list) {
      if (!accepted.test(f.name)) {
        skipped.push(shownName(f));
        continue;
      }
      if (!chosen.some((c) => shownName(c) === shownName(f) && c.size === f.size && c.lastModified === f.lastModified)) {
        chosen.push(f);
      }
    }
    renderChosen();
    if (skipped.length) {
      S.showError(null, 'Đã bỏ qua ' + skipped.length + ' tệp không phải PDF, TIFF, JPEG, PNG hoặc ZIP: ' +
        skipped.slice(0, 5).join(', ') + (skipped.length > 5 ? '…' : ''), 'Lưu ý');
    } else {
      S.clearMessages();
    }
  }

  fileInput.addEventListener('change', () => {
    addFiles(fileInput.files);
    fileInput.value = '';
  });
  folderInput.addEventListener('change', () => {
    addFiles(folderInput.files);
    folderInput.value = '';
  });

  // filesOf reads a dropped entry: a file, or a folder walked to the end (a folder's reader
  // gives its entries in batches until an empty one).
  async function filesOf(entry, prefix) {
    if (entry.isFile) {
      const f = await new Promise((resolve, reject) => entry.file(resolve, reject));
      f.sohoaPath = prefix + f.name;
      return [f];
    }
    const reader = entry.createReader();
    const out = [];
    for (;;) {
      const batch = await new Promise((resolve, reject) => reader.readEntries(resolve, reject));
      if (batch.length === 0) return out;
      for (const e of batch) out.push(...await filesOf(e, prefix + entry.name + '/'));
    }
  }
  for (const type of ['dragenter', 'dragover']) {
    dropzone.addEventListener(type, (ev) => {
      ev.preventDefault();
      dropzone.classList.add('over');
    });
  }
  for (const type of ['dragleave', 'drop']) {
    dropzone.addEventListener(type, () => dropzone.classList.remove('over'));
  }
  dropzone.addEventListener('drop', async (ev) => {
    ev.preventDefault();
    const dt = ev.dataTransfer;
    if (!dt) return;
    // Entries must be taken during the event; a dropped folder is then read asynchronously.
    const entries = Array.from(dt.items || []).map((it) => it.webkitGetAsEntry && it.webkitGetAsEntry()).filter(Boolean);
    if (entries.length === 0 || !entries.some((e) => e.isDirectory)) {
      if (dt.files.length) addFiles(dt.files);
      return;
    }
    try {
      const files = [];
      for (const e of entries) files.push(...await filesOf(e, ''));
      addFiles(files);
    } catch (err) {
      S.showError(null, 'Không đọc được thư mục vừa thả vào', 'Chưa chọn được tệp');
    }
  });
  dossierInput.addEventListener('blur', () => {
    dossierInput.value = dossierInput.value.trim().toUpperCase();
  });

  // send posts the form with XMLHttpRequest, which, unlike fetch, reports upload progress.
  function send(fd) {
    return new Promise((resolve, reject) => {
      const xhr = new XMLHttpRequest();
      xhr.open('POST', '/v1/batches');
      xhr.setRequestHeader('Accept', 'application/json');
      for (const [k, v] of Object.entries(S.csrfHeaders())) xhr.setRequestHeader(k, v);
      xhr.upload.addEventListener('progress', (ev) => {
        if (ev.lengthComputable) {
          progress.value = ev.loaded / ev.total;
          sendStatus.textContent = 'Đang gửi tệp… ' + S.formatPercent(ev.loaded / ev.total);
        }
      });
      xhr.addEventListener('load', () => {
        let body = null;
        try { body = JSON.parse(xhr.responseText); } catch (e) { body = null; }
        if (xhr.status >= 200 && xhr.status < 300 && body) resolve(body);
        else reject(new S.ApiError(xhr.status, body && body.error ? body.error : '', body && body.code, body && body.param));
      });
      xhr.addEventListener('error', () => reject(new S.ApiError(0, '')));
      xhr.send(fd);
    });
  }

  let uploadItems = [];

  function itemRow(name, status, note, docID) {
    // An uploader cannot read documents: the name links to the review page only for roles
    // that can.
    const nameCell = docID && S.main.dataset.canRead === 'true'
      ? el('td', {}, el('a', { href: '/van-ban/' + encodeURIComponent(docID) }, name))
      : el('td', {}, name);
    return el('tr', { 'data-status': status }, nameCell, el('td', {}, S.statusBadge(status)),
      el('td', {}, note ? el('span', { class: status === 'failed' || status === 'rejected' ? 'invalid' : '' }, note) : ''));
  }

  // render shows the upload's own answers (rejected and duplicate files) and the batch's
  // documents with their current status.
  function render(batch) {
    const rows = [];
    const docs = batch ? batch.documents || [] : [];
    const inBatch = new Set(docs.map((d) => d.id));
    for (const it of uploadItems) {
      if (it.document_id && inBatch.has(it.document_id)) continue;
      const note = it.duplicate ? 'Tệp này đã có trong hồ sơ (tải lên trước đó).' : (it.error || '');
      rows.push(itemRow(it.file_name, it.status, note, it.document_id));
    }
    for (const d of docs) rows.push(itemRow(d.file_name, d.status, d.error || '', d.id));
    itemsBody.replaceChildren(...rows);

    const rejected = uploadItems.filter((it) => it.status === 'rejected').length;
    const counts = batch ? batch.counts || {} : {};
    const indexed = counts.indexed || 0;
    const failed = (counts.failed || 0) + rejected;
    const total = (batch ? batch.total : 0) + rejected;
    const pending = total - indexed - failed;
    document.getElementById('count-indexed').textContent = indexed;
    document.getElementById('count-failed').textContent = failed;
    document.getElementById('count-pending').textContent = pending;
    document.getElementById('count-total').textContent = total;
    progress.max = 1;
    progress.value = total ? (indexed + failed) / total : 1;
    progressLabel.textContent = 'Đã xử lý ' + (indexed + failed) + '/' + total + ' tệp';
    showTimeLeft(indexed + failed, pending);
  }

  // The time left is the documents still pending at the pace the batch has kept since it
  // was first seen; shown once that pace is known.
  let pace = null; // {at, done}: the first poll's time and finished count
  function showTimeLeft(done, pending) {
    const now = Date.now();
    if (pending <= 0) {
      timeLeft.textContent = '';
      return;
    }
    if (!pace) pace = { at: now, done };
    const rate = (done - pace.done) / (now - pace.at); // documents per millisecond
    if (!(rate > 0)) {
      timeLeft.textContent = 'Đang ước tính thời gian còn lại…';
      return;
    }
    const seconds = Math.max(1, Math.round(pending / rate / 1000));
    const m = Math.floor(seconds / 60);
    const text = m >= 60
      ? Math.floor(m / 60) + ' giờ ' + (m % 60) + ' phút'
      : (m > 0 ? m + ' phút ' : '') + (seconds % 60) + ' giây';
    timeLeft.textContent = 'Còn khoảng ' + text + ' (' + pending + ' tệp đang chờ).';
  }

  function poll(batchID, delay) {
    clearTimeout(pollTimer);
    pollTimer = setTimeout(async () => {
      try {
        const b = await S.api('/v1/batches/' + encodeURIComponent(batchID));
        S.clearMessages();
        render(b);
        if (b.done) {
          doneNote.hidden = false;
          sendStatus.textContent = 'Đã tải lên. Lô ' + batchID + ' đã xử lý xong.';
          return;
        }
        poll(batchID);
      } catch (err) {
        S.showError(null, err, 'Không cập nhật được tiến độ');
        // A lost connection or a busy server is worth retrying; a refused key or a missing
        // batch is not.
        if (err.status === 0 || err.status >= 500) {
          pollTimer = setTimeout(() => poll(batchID), 2 * pollEvery);
        }
      }
    }, delay === undefined ? pollEvery : delay);
  }

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    S.clearMessages();
    const code = dossierInput.value.trim().toUpperCase();
    dossierInput.value = code;
    if (!dossierPattern.test(code)) {
      dossierInput.setAttribute('aria-invalid', 'true');
      dossierInput.focus();
      S.showError(null, 'Mã hồ sơ không đúng dạng (ví dụ 000.00.15.H29-251201-0001)', 'Chưa tải lên được');
      return;
    }
    dossierInput.removeAttribute('aria-invalid');
    if (chosen.length === 0) {
      fileInput.focus();
      S.showError(null, 'Hãy chọn ít nhất một tệp', 'Chưa tải lên được');
      return;
    }
    const fd = new FormData();
    fd.append('dossier_id', code); // must come before the files
    for (const f of chosen) fd.append('file', f, f.name);

    clearTimeout(pollTimer);
    pace = null;
    uploadItems = [];
    doneNote.hidden = true;
    section.hidden = false;
    itemsBody.replaceChildren();
    sendStatus.textContent = 'Đang gửi tệp…';
    button.disabled = true;
    try {
      const res = await send(fd);
      uploadItems = res.items || [];
      sendStatus.textContent = 'Đã nhận ' + uploadItems.length + ' tệp vào lô ' + res.batch.id + '. Đang xử lý…';
      chosen = [];
      renderChosen();
      render(null);
      poll(res.batch.id, 0);
    } catch (err) {
      sendStatus.textContent = '';
      S.showError(null, err, 'Không tải lên được');
    } finally {
      button.disabled = false;
    }
  });
})();
