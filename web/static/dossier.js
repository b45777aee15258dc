// Dossier page: every document of one dossier code, from /v1/dossiers/{code}.
'use strict';

(function () {
  const S = window.Sohoa;
  const el = S.el;
  const code = S.main.dataset.dossier;
  const table = document.getElementById('documents');
  const summary = document.getElementById('summary');

  // The fields that best say what a document is about, when it has them.
  const aboutFields = ['subject', 'title', 'full_name', 'company_name', 'owner_name', 'applicant_name', 'wife_name'];

  function about(d) {
    const f = d.fields || {};
    for (const n of aboutFields) {
      if (f[n] && f[n].value) return S.fieldLabel(n) + ': ' + f[n].value;
    }
    return '';
  }

  function row(d) {
    const f = d.fields || {};
    const status = el('td', {}, S.statusBadge(d.status));
    if (d.error) status.append(el('div', { class: 'alert' }, d.error));
    return el('tr', {},
      el('td', {}, el('a', { href: '/van-ban/' + encodeURIComponent(d.id) }, d.file_name)),
      el('td', {}, S.typeName(d.doc_type)),
      el('td', {}, f.number ? f.number.value : ''),
      el('td', {}, about(d)),
      status,
      el('td', {}, S.reviewBadge(d.review_state)),
      el('td', {}, String(d.page_count)));
  }

  async function load() {
    try {
      const v = await S.api('/v1/dossiers/' + encodeURIComponent(code));
      const docs = v.documents || [];
      table.tBodies[0].replaceChildren(...docs.map(row));
      table.hidden = false;
      const review = docs.filter((d) => d.review_state === 'needs_review').length;
      summary.textContent = docs.length + ' văn bản' + (review ? ', ' + review + ' văn bản cần duyệt.' : '.');
    } catch (err) {
      summary.textContent = '';
      if (err instanceof S.ApiError && err.status === 404) {
        summary.textContent = 'Hồ sơ này chưa có văn bản nào.';
        return;
      }
      S.showError(null, err, 'Không tải được hồ sơ');
    }
  }

  load();
})();
