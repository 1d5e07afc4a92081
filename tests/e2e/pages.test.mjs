// The public pages in a real browser: the home page, the skip link, the schools directory and
// its filters without JavaScript, a school's page and the error page.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, newPage } from './browser.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

test('home page shows the heading, the job search, the programmes and 56 schools', async () => {
  const page = await newPage(browser)
  const response = await page.goto(`${BASE}/`)
  assert.equal(response.status(), 200)
  assert.match(await page.title(), / – Teaching in Thurrock$/)
  assert.equal(await page.locator('h1').textContent(), 'Teach in Thurrock')

  const form = page.locator('form[action="/vacancies"]')
  assert.equal(await form.getAttribute('method'), 'get')
  const search = page.getByLabel('Search for jobs in Thurrock schools')
  assert.equal(await search.getAttribute('name'), 'q')
  assert.equal(await page.locator('#q-hint').textContent(), 'Enter a keyword, subject or school')
  assert.equal(await form.getByRole('button', { name: 'Search jobs' }).count(), 1)

  for (const id of ['ect-pool', 'school-direct', 'key-worker']) {
    assert.equal(await page.locator(`#${id} h3`).count(), 1, `programme #${id}`)
  }
  assert.equal((await page.locator('#schools').textContent()).trim(), '56 schools')
  assert.equal(await page.locator('.app-school-list__item').count(), 56)

  const nav = page.getByRole('navigation', { name: 'Menu' })
  for (const [name, href] of [['Find a job', '/vacancies'], ['Schools', '/schools'],
    ['Programmes', '/#programmes'], ['Sign in', '/account/login']]) {
    assert.equal(await nav.getByRole('link', { name }).getAttribute('href'), href)
  }
  assert.equal(await page.getByText('GOV.UK').count(), 0, 'no GOV.UK branding')
  await page.context().close()
})

test('home page links each school to its page', async () => {
  const page = await newPage(browser)
  await page.goto(`${BASE}/`)
  const link = page.locator('.app-school-list__item a').first()
  const name = (await link.textContent()).trim()
  await link.click()
  await page.waitForURL(/\/schools\/\d+$/)
  assert.equal((await page.locator('h1').textContent()).trim(), name)
  await page.context().close()
})

test('skip link moves focus to the main content', async () => {
  const page = await newPage(browser)
  await page.goto(`${BASE}/`)
  await page.keyboard.press('Tab')
  assert.equal(await page.evaluate(() => document.activeElement.textContent.trim()), 'Skip to main content')
  await page.keyboard.press('Enter')
  assert.equal(await page.evaluate(() => document.activeElement.id), 'main-content')
  await page.context().close()
})

test('skip link works without JavaScript: the next Tab lands inside main', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false })
  await page.goto(`${BASE}/`)
  await page.keyboard.press('Tab')
  await page.keyboard.press('Enter')
  await page.keyboard.press('Tab')
  assert.equal(await page.evaluate(() => Boolean(document.activeElement.closest('main'))), true)
  await page.context().close()
})

test('schools can be filtered by phase and town without JavaScript', async () => {
  const page = await newPage(browser, { javaScriptEnabled: false })
  await page.goto(`${BASE}/schools`)
  const heading = page.locator('#results')
  assert.equal((await heading.textContent()).trim(), '56 schools')
  assert.equal(await page.locator('tbody tr').count(), 56)
  assert.equal(await page.getByRole('link', { name: 'Clear filters' }).count(), 0)

  const option = page.locator('#phase option[value="secondary"]')
  const expected = Number((await option.textContent()).match(/\((\d+)\)/)[1])
  assert.ok(expected > 0 && expected < 56)
  await page.selectOption('#phase', 'secondary')
  await Promise.all([page.waitForURL(/phase=secondary/), page.getByRole('button', { name: 'Apply filters' }).click()])

  assert.equal((await heading.textContent()).trim(), `${expected} schools`)
  assert.equal(await page.locator('tbody tr').count(), expected)
  for (const phase of await page.locator('tbody tr td:nth-of-type(1)').allTextContents()) {
    assert.equal(phase.trim(), 'Secondary')
  }
  assert.equal(await page.locator('#phase').inputValue(), 'secondary', 'the choice stays selected')
  assert.equal(await page.getByRole('link', { name: 'Clear filters' }).count(), 1)

  await page.selectOption('#town', 'Grays')
  await Promise.all([page.waitForURL(/town=Grays/), page.getByRole('button', { name: 'Apply filters' }).click()])
  const both = Number((await heading.textContent()).match(/^(\d+) schools?$/)[1])
  assert.ok(both > 0 && both < expected, `secondary schools in Grays: ${both}`)
  for (const town of await page.locator('tbody tr td:nth-of-type(3)').allTextContents()) {
    assert.equal(town.trim(), 'Grays')
  }

  await Promise.all([page.waitForURL(/\/schools$/), page.getByRole('link', { name: 'Clear filters' }).click()])
  assert.equal((await heading.textContent()).trim(), '56 schools')
  await page.context().close()
})

test('a filter that matches nothing shows the empty state', async () => {
  const page = await newPage(browser)
  const response = await page.goto(`${BASE}/schools?phase=special&town=Bulphan`)
  assert.equal(response.status(), 200)
  assert.equal((await page.locator('#results').textContent()).trim(), '0 schools')
  assert.equal(await page.locator('table').count(), 0)
  assert.equal(await page.getByText('No schools match your filters.').count(), 1)
  await page.context().close()
})

test('a school page shows its details, breadcrumbs and vacancies section, and offers a job alert for the school', async () => {
  const page = await newPage(browser)
  const response = await page.goto(`${BASE}/schools/139605`)
  assert.equal(response.status(), 200)
  assert.equal((await page.locator('h1').textContent()).trim(), 'Abbots Hall Primary School')
  assert.match(await page.title(), /^Abbots Hall Primary School – Teaching in Thurrock$/)

  const rows = {}
  for (const row of await page.locator('.govuk-summary-list__row').all()) {
    rows[(await row.locator('dt').textContent()).trim()] = (await row.locator('dd').textContent()).trim()
  }
  assert.equal(rows.Phase, 'Primary')
  assert.equal(rows.Type, 'Academy converter')
  assert.equal(rows.Town, 'Stanford-le-Hope')
  assert.equal(rows.Postcode, 'SS17 7BW')
  assert.equal(rows.Trust, 'Abbots Hall Primary Academy')
  assert.equal(rows['Unique reference number (URN)'], '139605')

  const crumbs = page.getByRole('navigation', { name: 'Breadcrumb' })
  assert.deepEqual((await crumbs.locator('li').allTextContents()).map((s) => s.trim()),
    ['Home', 'Schools', 'Abbots Hall Primary School'])
  assert.equal(await page.locator('#vacancies').count(), 1)
  assert.equal(await page.getByRole('link', { name: 'Find jobs at Abbots Hall Primary School' }).getAttribute('href'),
    '/vacancies?school=139605')
  // A job alert for the school's jobs, from its own page: the alert form names the school.
  const alert = page.getByRole('link', { name: 'Get an email when Abbots Hall Primary School advertises a job' })
  await Promise.all([page.waitForNavigation(), alert.click()])
  assert.equal(new URL(page.url()).pathname, '/job-alerts/new')
  assert.match(await page.locator('main').textContent(), /Abbots Hall Primary School/)
  await page.context().close()
})

test('a school page hides details the register does not hold', async () => {
  const page = await newPage(browser)
  await page.goto(`${BASE}/schools/146818`)
  assert.equal((await page.locator('h1').textContent()).trim(), 'Aveley Primary School')
  const keys = (await page.locator('.govuk-summary-list__key').allTextContents()).map((s) => s.trim())
  assert.ok(!keys.includes('Trust'), `no Trust row: ${keys}`)
  assert.ok(!keys.includes('Religious character'), `no Religious character row: ${keys}`)
  for (const value of await page.locator('.govuk-summary-list__value').allTextContents()) {
    assert.notEqual(value.trim(), '', 'no empty values')
  }
  await page.context().close()
})

test('an unknown page answers 404 with the error page and a reference', async () => {
  const page = await newPage(browser)
  const response = await page.goto(`${BASE}/no-such-page`)
  assert.equal(response.status(), 404)
  assert.equal((await page.locator('h1').textContent()).trim(), 'Page not found')
  assert.match(await page.title(), /^Page not found – Teaching in Thurrock$/)
  assert.match(await page.locator('main').textContent(), /If you typed the web address, check it is correct\./)
  assert.match(await page.locator('.app-reference').textContent(), /^[0-9a-f]{32}$/)
  await page.context().close()
})

test('an unknown school answers 404', async () => {
  const page = await newPage(browser)
  const response = await page.goto(`${BASE}/schools/999999`)
  assert.equal(response.status(), 404)
  assert.equal(await page.locator('h1').count(), 1)
  await page.context().close()
})

test('the information pages are linked from the footer', async () => {
  const page = await newPage(browser)
  for (const [name, path, heading] of [
    ['Accessibility statement', '/accessibility', 'Accessibility statement for Teaching in Thurrock'],
    ['Privacy notice', '/privacy', 'Privacy notice'],
    ['Cookies', '/cookies', 'Cookies']]) {
    await page.goto(`${BASE}/`)
    await Promise.all([page.waitForURL(`${BASE}${path}`), page.locator('footer').getByRole('link', { name }).click()])
    assert.equal((await page.locator('h1').textContent()).trim(), heading)
  }
  assert.match(await page.locator('footer').textContent(), /© Thurrock Council/)
  await page.context().close()
})
