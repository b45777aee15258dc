// Review page, whole-dossier scans: a document found in an uploaded file that held several
// says which pages of the file it covers, and a clerk can move where it begins when the split
// was wrong (POST /v1/documents/{id}/boundary). Both documents whose pages change are then
// classified and read again, so the page reloads once the move is accepted.
'use strict';

(function () {
  const S = window.Sohoa;
  const section = document.getElementById('boundary-section');
  if (!section) return; // the caller may not review
  const docID = S.main.dataset.docId;
  const docURL = '/v1/documents/' + encodeURIComponent(docID);
  const info = document.getElementById('boundary-info');
  const input = document.getElementById('boundary-first');
  const button = document.getElementById('boundary-button');
  const status = document.getElementById('boundary-status');

  function pages(p) {
    return p.first_page === p.last_page ? 'trang ' + p.first_page : 'trang ' + p.first_page + '–' + p.last_page;
  }

  // review.js reads the document once and hands it over, so the read is audited once.
  function show(doc) {
    const part = doc.part;
    if (!part) return;
    section.hidden = false;
    info.textContent = 'Văn bản này là ' + pages(part) + ' của tệp đã tải lên, tệp được tách thành ' +
      doc.parts.length + ' văn bản: ' + doc.parts.map((p, i) => (i + 1) + '. ' + pages(p)).join('; ') + '.';
    const movable = part.seq > 0;
    input.disabled = button.disabled = !movable;
    if (movable) {
      const before = doc.parts[part.seq - 1];
      input.min = String(before.first_page + 1);
      input.max = String(part.last_page);
      input.value = String(part.first_page);
    } else {
      status.textContent = 'Đây là văn bản đầu tiên của tệp: hãy dời ranh giới ở văn bản sau nó.';
    }
  }

  button.addEventListener('click', async () => {
    const first = Number(input.value);
    if (!Number.isInteger(first)) {
      status.textContent = 'Hãy nhập số trang.';
      return;
    }
    button.disabled = true;
    status.textContent = 'Đang dời ranh giới…';
    try {
      await S.api(docURL + '/boundary', { method: 'POST', json: { first_page: first } });
      status.textContent = 'Đã dời ranh giới: hai văn bản đang được phân loại và trích xuất lại.';
      setTimeout(() => location.reload(), 1500);
    } catch (e) {
      status.textContent = e.status === 409
        ? 'Không dời được ranh giới tới trang này: một văn bản sẽ không còn trang nào, hoặc giữa hai văn bản có tờ phân cách.'
        : 'Không dời được ranh giới: ' + e.message;
      button.disabled = false;
    }
  });

  document.addEventListener('sohoa:document', (e) => show(e.detail));
})();
