// Shared set-up for the browser tests: Debian's Chromium driven by playwright-core (never a
// downloaded browser), the portal's address, and axe-core from frontend/node_modules.
import assert from 'node:assert/strict'
import { createRequire } from 'node:module'
import { readFileSync } from 'node:fs'

const require = createRequire(new URL('../../frontend/package.json', import.meta.url))
const { chromium } = require('playwright-core')

export const BASE = process.env.E2E_BASE_URL
if (!BASE) throw new Error('E2E_BASE_URL is not set: run the browser tests through tests/e2e/run.sh')

export const AXE_SOURCE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8')

// The WCAG 2.2 AA rule set: every level A and AA rule up to 2.2.
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa']

// Launches headless Chromium; the caller closes it.
export function launch () {
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync']
  })
}

// A new page in a fresh context that accepts the test server's self-signed certificate.
// options go to browser.newContext (e.g. javaScriptEnabled, viewport).
export async function newPage (browser, options = {}) {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, ...options })
  return context.newPage()
}

// Runs axe-core on the page at its current state and returns the violations. axe's source is
// evaluated through the DevTools protocol, which the page's CSP does not govern.
export async function axeViolations (page) {
  await page.evaluate(AXE_SOURCE)
  const results = await page.evaluate((tags) => window.axe.run(document, {
    runOnly: { type: 'tag', values: tags },
    resultTypes: ['violations']
  }), WCAG_TAGS)
  return results.violations
}

// One line per violation and node, for a readable failure message.
export function describeViolations (violations) {
  return violations.flatMap((v) => v.nodes.map((n) =>
    `${v.id} (${v.impact}): ${v.help} at ${n.target.join(' ')}`)).join('\n')
}

// WCAG 2.1 1.4.10 Reflow: with the window 320 CSS pixels wide, nothing makes the page scroll
// sideways - nor at 700, a tablet held upright, where tables no longer stack. Narrows the
// page's viewport to each width, looks, and puts the viewport back. Returns null, or a
// description of the page's width and the elements that stick out.
export async function reflowProblem (page) {
  const size = page.viewportSize()
  let problem = null
  for (const width of [320, 700]) {
    await page.setViewportSize({ width, height: size.height })
    problem = await page.evaluate((width) => {
      const root = document.documentElement
      if (root.scrollWidth <= root.clientWidth) return null
      const out = [...document.body.querySelectorAll('*')]
        .filter((e) => e.getBoundingClientRect().right > root.clientWidth + 0.5)
        .slice(-3)
        .map((e) => `<${e.tagName.toLowerCase()} class="${e.className}"> "${(e.textContent || '').trim().slice(0, 40)}"`)
      return `${root.scrollWidth} px wide at ${width}: ${out.join(', ')}`
    }, width)
    if (problem) break
  }
  await page.setViewportSize(size)
  return problem
}

// The page as it is now has no axe-core violations (WCAG 2.2 AA) and reflows at 320 (and 700)
// CSS pixels; what names the page in the failure message.
export async function expectAccessible (page, what) {
  const violations = await axeViolations(page)
  assert.equal(violations.length, 0, `${what}:\n${describeViolations(violations)}`)
  assert.equal(await reflowProblem(page), null, `${what}: scrolls sideways`)
}
