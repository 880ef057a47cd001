/**
 * The local outbox page (`GET /local/outbox`): every SMS, e-mail and supervisor notice the system would have sent on
 * AWS, newest first, the way developers use MailHog. `?caseId=` narrows to one case; `?format=json` (or
 * `Accept: application/json`) answers `{ messages }`. Local only: on AWS the messages go to SNS and SES.
 */
import type { OutboxMessage } from '#adapters/notificationChannels.js';

/**
 * The outbox holds families' phone numbers and e-mail addresses: it answers only a browser on this machine, even when
 * the local stack listens on the network (`LIENTHONG_HOST=0.0.0.0` in a small office).
 */
export const isLoopback = (address: string | undefined): boolean =>
  address !== undefined && (/^127\./.test(address) || address === '::1' || /^::ffff:127\./.test(address));

const esc = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

const channelNames: Record<string, string> = {
  SMS: 'SMS',
  EMAIL: 'Thư điện tử · E-mail',
  SUPERVISOR: 'Lãnh đạo đơn vị · Supervisors',
};

export const outboxPage = (messages: OutboxMessage[], caseId?: string): string => `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="refresh" content="5">
<title>Hộp thư đi · Outbox (Liên thông, local)</title>
<style>
body{font:15px/1.45 system-ui,sans-serif;margin:1.5rem;color:#1b1b1b;max-width:70rem}
h1{font-size:1.3rem;margin:0 0 .25rem} p.lead{color:#555;margin:0 0 1rem}
table{border-collapse:collapse;width:100%} th,td{border-bottom:1px solid #ddd;padding:.45rem .5rem;text-align:left;vertical-align:top}
th{background:#f4f4f4;font-weight:600} td.text{white-space:pre-wrap} .chan{font-weight:600}
</style></head><body>
<h1>Hộp thư đi <span lang="en">· Outbox</span></h1>
<p class="lead">Tin nhắn SMS, thư điện tử và thông báo cho lãnh đạo mà hệ thống sẽ gửi trên AWS (SNS, SES); tự làm mới sau 5 giây.
<span lang="en">The SMS, e-mail and supervisor notices the system would send on AWS (SNS, SES); refreshes every 5 s.</span>
${caseId ? `<br>Hồ sơ · Case <code>${esc(caseId)}</code> · <a href="/local/outbox">tất cả · all</a>` : ''}</p>
${
  messages.length === 0
    ? '<p>Chưa có thư nào. <span lang="en">Nothing sent yet.</span></p>'
    : `<table><thead><tr><th>Lúc · At (UTC)</th><th>Kênh · Channel</th><th>Gửi đến · To</th><th>Nội dung · Message</th></tr></thead><tbody>
${messages
  .map(
    (
      m,
    ) => `<tr><td>${esc(m.at.replace('T', ' ').slice(0, 19))}</td><td class="chan">${esc(channelNames[m.channel] ?? m.channel)}<br><small>${esc(m.template)}</small></td>
<td>${esc(m.to)}<br><small><a href="/local/outbox?caseId=${encodeURIComponent(m.caseId)}">${esc(m.caseId)}</a></small></td>
<td class="text"><strong>${esc(m.subject.vi)}</strong>\n${esc(m.text)}</td></tr>`,
  )
  .join('\n')}
</tbody></table>`
}
</body></html>
`;
