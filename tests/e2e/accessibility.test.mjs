// axe-core finds no WCAG 2.2 AA violations on each kind of page, on a desktop and a phone-sized
// screen (the collapsed menu included), and each page reflows at 320 CSS pixels (WCAG 1.4.10).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, newPage, axeViolations, describeViolations, reflowProblem } from './browser.mjs'

const PAGES = [
  ['home', '/', 200],
  ['schools', '/schools', 200],
  ['schools filtered', '/schools?phase=secondary', 200],
  ['schools, none match', '/schools?phase=special&town=Bulphan', 200],
  ['a school', '/schools/139605', 200],
  ['accessibility statement', '/accessibility', 200],
  ['privacy notice', '/privacy', 200],
  ['cookies', '/cookies', 200],
  ['not found', '/no-such-page', 404]
]

const VIEWPORTS = [
  ['desktop', { width: 1280, height: 900 }],
  ['mobile', { width: 390, height: 844 }]
]

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

for (const [viewportName, viewport] of VIEWPORTS) {
  for (const [name, path, status] of PAGES) {
    test(`axe: no WCAG 2.2 AA violations on ${name} (${path}, ${viewportName})`, async () => {
      const page = await newPage(browser, { viewport })
      const response = await page.goto(`${BASE}${path}`)
      assert.equal(response.status(), status)
      const violations = await axeViolations(page)
      assert.equal(violations.length, 0, describeViolations(violations))
      assert.equal(await reflowProblem(page), null, 'the page scrolls sideways')
      await page.context().close()
    })
  }
}
