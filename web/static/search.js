// Search page: the form submits as a plain GET, so every search has its own address (back
// button, bookmarks); this script runs the query of the address against /v1/search.
'use strict';

(function () {
  const S = window.Sohoa;
  const el = S.el;
  const pageSize = 20;
  const params = new URLSearchParams(location.search);
  const results = document.getElementById('results');
  const summary = document.getElementById('summary');
  const pager = document.getElementById('pager');

  // The dossier box on this page opens /ho-so/{code} directly; without script the server
  // redirects from /ho-so?ma=… instead.
  document.getElementById('open-form').addEventListener('submit', (ev) => {
    const code = document.getElementById('ma').value.trim().toUpperCase();
    if (!code) return;
    ev.preventDefault();
    location.assign('/ho-so/' + encodeURIComponent(code));
  });

  function hitItem(h) {
    const title = [S.typeName(h.doc_type), h.number].filter(Boolean).join(' ');
    const meta = [];
    if (h.issuer) meta.push(el('span', {}, 'Cơ quan ban hành: ' + h.issuer));
    if (h.issued_date) meta.push(el('span', {}, 'Ngày ban hành: ' + S.formatDate(h.issued_date)));
    meta.push(el('span', {}, 'Hồ sơ: ', el('a', { href: '/ho-so/' + encodeURIComponent(h.dossier_id) }, h.dossier_id)));
    meta.push(S.reviewBadge(h.review_state));
    const metaLine = el('p', { class: 'muted meta' });
    meta.forEach((m, i) => { if (i) metaLine.append(' · '); metaLine.append(m); });
    return el('li', { class: 'hit' },
      el('h3', {}, el('a', { href: '/van-ban/' + encodeURIComponent(h.id) }, title || h.file_name)),
      h.subject ? el('p', { class: 'subject' }, h.subject) : null,
      metaLine,
      h.snippet ? S.appendSnippet(el('p', { class: 'snippet' }), h.snippet) : null,
      el('p', { class: 'muted' }, 'Tệp: ' + h.file_name + ' · ' + h.page_count + ' trang'));
  }

  function pageLink(offset, text) {
    const p = new URLSearchParams(params);
    p.set('offset', String(offset));
    return el('a', { href: '/tim-kiem?' + p.toString() }, text);
  }

  async function run() {
    const offset = Math.max(0, parseInt(params.get('offset') || '0', 10) || 0);
    const q = new URLSearchParams();
    for (const k of ['q', 'doc_type', 'dossier_id', 'review_state', 'from', 'to']) {
      const v = (params.get(k) || '').trim();
      if (v) q.set(k, k === 'dossier_id' ? v.toUpperCase() : v);
    }
    q.set('limit', String(pageSize));
    q.set('offset', String(offset));
    summary.textContent = 'Đang tìm…';
    try {
      const res = await S.api('/v1/search?' + q.toString());
      S.clearMessages();
      const hits = res.hits || [];
      results.replaceChildren(...hits.map(hitItem));
      if (hits.length === 0) {
        summary.textContent = 'Không tìm thấy văn bản nào phù hợp.';
      } else {
        summary.textContent = 'Khoảng ' + res.estimated_total_hits + ' kết quả, hiển thị ' +
          (offset + 1) + '–' + (offset + hits.length) + '.';
      }
      pager.replaceChildren();
      if (offset > 0) pager.append(pageLink(Math.max(0, offset - pageSize), '‹ Trang trước'));
      if (offset + hits.length < res.estimated_total_hits && hits.length === pageSize) {
        pager.append(pageLink(offset + pageSize, 'Trang sau ›'));
      }
    } catch (err) {
      summary.textContent = '';
      results.replaceChildren();
      S.showError(null, err, 'Không tìm kiếm được');
    }
  }

  run();
})();
