// Dead letters (admins): webhook deliveries that ran out of attempts, from GET /v1/events/dead,
// each with a button that puts it back in line (POST /v1/events/dead/{id}/retry) once the
// receiver is fixed. Event types are shown in Vietnamese; the subject links to its document.
'use strict';

(function () {
  const S = window.Sohoa;
  const el = S.el;
  const body = document.getElementById('dead').tBodies[0];
  const empty = document.getElementById('dead-empty');

  const typeNames = {
    'document.indexed': 'Văn bản đã lập chỉ mục',
    'document.failed': 'Văn bản xử lý thất bại',
    'document.approved': 'Văn bản đã duyệt',
    'document.corrected': 'Văn bản đã sửa trường',
    'batch.done': 'Lô tải lên đã xong',
  };

  function subject(d) {
    if (d.type.startsWith('document.')) {
      return el('a', { href: '/van-ban/' + encodeURIComponent(d.subject) }, d.subject);
    }
    return 'Lô ' + d.subject;
  }

  function row(d) {
    const status = el('span', { class: 'muted', role: 'status' });
    const button = el('button', { type: 'button', class: 'retry-button' }, 'Gửi lại');
    button.addEventListener('click', async () => {
      button.disabled = true;
      status.textContent = 'Đang xếp lại…';
      try {
        await S.api('/v1/events/dead/' + encodeURIComponent(d.id) + '/retry', { method: 'POST', json: { endpoint: d.endpoint } });
        status.textContent = 'Đã xếp lại để gửi.';
      } catch (e) {
        status.textContent = e.status === 404 ? 'Sự kiện đã được xếp lại hoặc không còn.' : 'Không xếp lại được: ' + e.message;
        button.disabled = false;
      }
    });
    return el('tr', { 'data-event-id': d.id },
      el('td', null, S.formatTime(d.dead_at)),
      el('td', null, typeNames[d.type] || d.type),
      el('td', null, subject(d)),
      el('td', null, el('code', null, d.endpoint)),
      el('td', null, String(d.attempts)),
      el('td', null, d.last_error),
      el('td', null, button, ' ', status));
  }

  async function load() {
    try {
      const res = await S.api('/v1/events/dead?limit=500');
      const dead = res.dead || [];
      body.replaceChildren(...dead.map(row));
      empty.hidden = dead.length > 0;
      S.main.dataset.loaded = 'true';
    } catch (e) {
      S.showError(null, e, 'Không tải được danh sách sự kiện');
    }
  }

  load();
})();
