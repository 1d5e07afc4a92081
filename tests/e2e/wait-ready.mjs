// Waits up to 20 seconds for GET $E2E_BASE_URL/healthz to answer 200, giving up early when the
// server process ($E2E_SERVER_PID) has exited. Exit status 0 when ready, 1 otherwise.
import https from 'node:https'
import { setTimeout as sleep } from 'node:timers/promises'

const base = process.env.E2E_BASE_URL
const pid = Number(process.env.E2E_SERVER_PID)

function alive () {
  try {
    process.kill(pid, 0)
    return true
  } catch {
    return false
  }
}

function healthy () {
  return new Promise((resolve) => {
    const req = https.get(`${base}/healthz`, { rejectUnauthorized: false, timeout: 1000 }, (res) => {
      res.resume()
      resolve(res.statusCode === 200)
    })
    req.on('timeout', () => req.destroy())
    req.on('error', () => resolve(false))
  })
}

const deadline = Date.now() + 20000
while (Date.now() < deadline) {
  if (await healthy()) process.exit(0)
  if (pid && !alive()) break
  await sleep(100)
}
process.exit(1)
