// The pages load under the portal's Content Security Policy without a single violation: styles
// and the script come from /assets/, nothing is inline. Also saves screenshots of the home page
// (/tmp/home.png, /tmp/home-mobile.png) for a person to look at.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, newPage } from './browser.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

// Opens path and returns the response plus every console error and uncaught page error.
async function visit (page, path) {
  const errors = []
  page.on('console', (msg) => { if (msg.type() === 'error') errors.push(msg.text()) })
  page.on('pageerror', (err) => errors.push(err.message))
  const response = await page.goto(`${BASE}${path}`)
  await page.waitForLoadState('networkidle')
  return { response, errors }
}

test('the home page has a strict CSP and runs without console errors', async () => {
  const page = await newPage(browser)
  const { response, errors } = await visit(page, '/')
  const csp = response.headers()['content-security-policy']
  assert.ok(csp, 'Content-Security-Policy header present')
  assert.match(csp, /default-src 'self'/)
  assert.match(csp, /script-src 'self'/)
  assert.match(csp, /style-src 'self'/)
  assert.doesNotMatch(csp, /unsafe-inline|unsafe-eval/)
  assert.deepEqual(errors, [])

  // The external script ran under the policy and started GOV.UK Frontend.
  const classes = await page.evaluate(() => document.body.className)
  assert.match(classes, /\bjs-enabled\b/)
  assert.match(classes, /\bgovuk-frontend-supported\b/)
  // The stylesheet applied: GOV.UK Frontend sets the body's font from our system stack.
  const font = await page.evaluate(() => getComputedStyle(document.body).fontFamily)
  assert.match(font, /^arial, helvetica, sans-serif$/i)
  await page.context().close()
})

test('no CSP violations or script errors on the other pages', async () => {
  for (const path of ['/schools', '/schools?phase=primary', '/schools/139605', '/accessibility', '/privacy', '/cookies']) {
    const page = await newPage(browser)
    const { response, errors } = await visit(page, path)
    assert.equal(response.status(), 200, path)
    assert.ok(response.headers()['content-security-policy'], `CSP on ${path}`)
    assert.deepEqual(errors, [], path)
    await page.context().close()
  }
})

test('pages carry no inline script, inline style or style attribute', async () => {
  for (const path of ['/', '/schools', '/schools/139605', '/accessibility', '/privacy', '/cookies', '/no-such-page']) {
    const page = await newPage(browser, { javaScriptEnabled: false })
    await page.goto(`${BASE}${path}`)
    const html = await page.content()
    assert.doesNotMatch(html, /<script(?![^>]*\bsrc=)[^>]*>/i, `inline script on ${path}`)
    assert.doesNotMatch(html, /<style\b/i, `style element on ${path}`)
    assert.doesNotMatch(html, /\sstyle=/i, `style attribute on ${path}`)
    const assets = await page.evaluate(() => [...document.querySelectorAll('link[rel=stylesheet], script[src]')]
      .map((e) => e.getAttribute('href') ?? e.getAttribute('src')))
    for (const url of assets) assert.match(url, /^\/assets\/app\.(css|js)\?v=[0-9a-f]+$/, `fingerprinted asset on ${path}`)
    await page.context().close()
  }
})

test('the menu collapses behind a button on a phone when JavaScript runs', async () => {
  const page = await newPage(browser, { viewport: { width: 390, height: 844 } })
  await visit(page, '/')
  const toggle = page.locator('.govuk-service-navigation__toggle')
  assert.equal(await toggle.isVisible(), true)
  assert.equal(await page.locator('#navigation').isVisible(), false)
  await toggle.click()
  assert.equal(await page.locator('#navigation').isVisible(), true)
  assert.equal(await toggle.getAttribute('aria-expanded'), 'true')
  await page.screenshot({ path: '/tmp/home-mobile.png', fullPage: false })
  await page.context().close()
})

test('screenshot of the home page', async () => {
  const page = await newPage(browser, { viewport: { width: 1280, height: 900 } })
  await visit(page, '/')
  await page.screenshot({ path: '/tmp/home.png', fullPage: true })
  await page.context().close()
})
