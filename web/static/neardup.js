// Review page, near-duplicates: when a page of this document is the same paper as a page of
// another document (scanned again, at another resolution, or copied), the clerk is told and
// can open the other one. Neither upload was blocked; deciding what to keep is the clerk's.
'use strict';

(function () {
  const S = window.Sohoa;
  const box = document.getElementById('near-duplicates');
  if (!box) return;

  function show(doc) {
    const links = doc.near_duplicates || [];
    if (links.length === 0) return;
    const items = links.map((l, i) => [
      i > 0 ? '; ' : '',
      S.el('a', { href: '/van-ban/' + encodeURIComponent(l.document_id) }, l.document_id),
      ' (trang ' + l.page + ', giống trang ' + l.of_page + ' của văn bản này)',
    ]);
    box.replaceChildren('Có thể trùng với tài liệu ', ...items.flat(),
      '. Có thể là cùng một tờ giấy được quét lại; hãy mở để so sánh.');
    box.hidden = false;
  }

  document.addEventListener('sohoa:document', (e) => show(e.detail));
})();
