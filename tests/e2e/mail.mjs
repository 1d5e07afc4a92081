// Reading the email the portal sent, as a person would: from the SMTP sink's directory
// (tests/smtp_sink.py writes each message as E2E_MAIL_DIR/<n>.eml; tests/e2e/run.sh starts it).
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { setTimeout as sleep } from 'node:timers/promises'

export const MAIL_DIR = process.env.E2E_MAIL_DIR
if (!MAIL_DIR) throw new Error('E2E_MAIL_DIR is not set: run the browser tests through tests/e2e/run.sh')

// A quoted-printable body decoded (soft line breaks and =XX escapes), as UTF-8 text.
function decodeQuotedPrintable (body) {
  const bytes = []
  const raw = Buffer.from(body.replace(/=\r?\n/g, ''), 'latin1')
  for (let i = 0; i < raw.length; i++) {
    const hex = raw.subarray(i + 1, i + 3).toString('latin1')
    if (raw[i] === 0x3d && /^[0-9A-Fa-f]{2}$/.test(hex)) {
      bytes.push(parseInt(hex, 16))
      i += 2
    } else {
      bytes.push(raw[i])
    }
  }
  return Buffer.from(bytes).toString('utf8')
}

// One message file as { to: [addresses], headers: text, body: decoded text }.
function parse (text) {
  const split = text.indexOf('\r\n\r\n')
  const headers = split < 0 ? text : text.slice(0, split)
  let body = split < 0 ? '' : text.slice(split + 4)
  const rcpt = /^X-Sink-Rcpt-To: (.*)$/m.exec(headers)
  const to = rcpt ? rcpt[1].split(',').map((a) => a.trim().replace(/^<|>$/g, '').toLowerCase()) : []
  if (/^Content-Transfer-Encoding:\s*quoted-printable/im.test(headers)) body = decodeQuotedPrintable(body)
  return { to, headers, body }
}

// Waits (up to timeoutMs) for a message to address whose headers or body contain needle and
// returns it.
export async function waitForMail (address, needle, timeoutMs = 15000) {
  const until = Date.now() + timeoutMs
  for (;;) {
    const files = readdirSync(MAIL_DIR).filter((f) => /^\d+\.eml$/.test(f))
      .sort((a, b) => parseInt(a) - parseInt(b))
    for (const f of files) {
      const mail = parse(readFileSync(join(MAIL_DIR, f), 'latin1'))
      if (mail.to.includes(address.toLowerCase()) && (mail.headers + mail.body).includes(needle)) return mail
    }
    if (Date.now() > until) throw new Error(`no email to ${address} containing ${needle} within ${timeoutMs} ms`)
    await sleep(100)
  }
}

// The first absolute link in text that contains path (e.g. '/account/verify?token=').
export function linkIn (text, path) {
  const escaped = path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
  const m = new RegExp(`https://[^\\s/]+${escaped}[A-Za-z0-9_-]+`).exec(text)
  if (!m) throw new Error(`no link to ${path} in:\n${text}`)
  return m[0]
}
