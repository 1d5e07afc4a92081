// Accounts in a real browser (issue 3): a visitor registers, reads the confirmation email from
// the SMTP sink, follows the link, signs in and out twice, turns a reminder email off; the session cookie is __Host-,
// Secure, HttpOnly, SameSite=Lax; a forgotten password is reset through the emailed link. axe-core
// (WCAG 2.2 AA, as accessibility.test.mjs) finds no violations on the register, sign-in,
// forgotten-password, reset and account settings pages, nor on pages showing an error summary;
// each reflows at 320 CSS pixels. A hiring manager chooses the daily summary of applications.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, newPage, expectAccessible } from './browser.mjs'
import { waitForMail, linkIn } from './mail.mjs'
import { hiringManager, signIn as signInAt } from './fixtures.mjs'

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

let seq = 0
// A fresh address for this run.
function freshEmail (tag) {
  seq += 1
  return `e2e-${tag}-${process.pid}-${Date.now()}-${seq}@example.org`
}

// Fills and submits the registration form on the current page.
async function register (page, name, email, password) {
  await page.getByLabel('Full name').fill(name)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Create a password').fill(password)
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Create account' }).click()])
}

// Fills and submits the sign-in form on the current page; returns the response.
async function signIn (page, email, password) {
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.locator('main').getByRole('button', { name: 'Sign in' }).click()
  ])
  return response
}

// The error summary is shown, its links point at fields, and the title starts "Error: ".
async function expectErrorSummary (page, what) {
  const summary = page.locator('.govuk-error-summary')
  assert.equal(await summary.count(), 1, `${what}: no error summary`)
  assert.ok(await summary.isVisible(), `${what}: the error summary is hidden`)
  assert.equal(await summary.getByRole('heading').textContent(), 'There is a problem')
  const links = summary.locator('a')
  assert.ok(await links.count() > 0, `${what}: the error summary has no links`)
  for (const href of await links.evaluateAll((as) => as.map((a) => a.getAttribute('href')))) {
    assert.match(href, /^#[a-z_-]+$/, `${what}: summary link ${href}`)
    assert.equal(await page.locator(href).count(), 1, `${what}: summary link ${href} has no field`)
  }
  assert.match(await page.title(), /^Error: /, `${what}: title`)
}

test('a visitor registers, confirms the address from the email, signs in and out twice', async () => {
  const page = await newPage(browser)
  const email = freshEmail('journey')
  const password = 'Chadwell-St-Mary-green'

  let response = await page.goto(`${BASE}/account/register`)
  assert.equal(response.status(), 200)
  await expectAccessible(page, 'register')
  await register(page, 'Edie Endtoend', email, password)
  assert.equal((await page.locator('h1').textContent()).trim(), 'Check your email')
  assert.ok((await page.locator('main').textContent()).includes(email))

  const mail = await waitForMail(email, '/account/verify?token=')
  assert.match(mail.headers, /^Subject: Confirm your email address/m)
  const link = linkIn(mail.body, '/account/verify?token=')
  assert.ok(link.startsWith(`${BASE}/account/verify?token=`), `the link ${link} is not on ${BASE}`)
  response = await page.goto(link)
  assert.equal(response.status(), 200)
  assert.equal((await page.locator('h1').textContent()).trim(), 'Email address confirmed')
  await expectAccessible(page, 'email address confirmed')

  for (const round of [1, 2]) {
    await page.goto(`${BASE}/account/login`)
    if (round === 1) await expectAccessible(page, 'sign in')
    response = await signIn(page, email, password)
    assert.equal(new URL(page.url()).pathname, '/account', `round ${round}: after signing in`)
    assert.equal(response.headers()['cache-control'], 'no-store')
    assert.equal((await page.locator('h1').textContent()).trim(), 'Your account')
    assert.equal(await page.getByRole('link', { name: 'Edie Endtoend' }).count(), 1)
    if (round === 1) {
      await expectAccessible(page, 'account settings')
      // Turning a reminder off: saved, and the box stays unticked.
      const box = page.getByLabel('When a job you saved closes in 2 days and you have not applied for it')
      assert.equal(await box.isChecked(), true, 'the reminder is on until turned off')
      await box.uncheck()
      await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Save email settings' }).click()])
      assert.ok((await page.locator('.govuk-notification-banner').textContent()).includes('Your email settings have been saved'))
      assert.equal(await box.isChecked(), false, 'the reminder is still on after saving')
      assert.equal(await page.getByLabel('When an application you started closes in 2 days and you have not submitted it').isChecked(), true)
      await expectAccessible(page, 'email settings saved')
    }

    const cookies = await page.context().cookies()
    const session = cookies.find((c) => c.name === '__Host-session')
    assert.ok(session, `round ${round}: no __Host-session cookie`)
    assert.equal(session.secure, true)
    assert.equal(session.httpOnly, true)
    assert.equal(session.sameSite, 'Lax')
    assert.equal(session.path, '/')
    assert.equal(await page.evaluate(() => document.cookie.includes('__Host-session')), false)

    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Sign out' }).click()])
    assert.equal(new URL(page.url()).pathname, '/account/login')
    assert.ok((await page.locator('.govuk-notification-banner').textContent()).includes('You have signed out'))
    if (round === 1) await expectAccessible(page, 'signed out')
    assert.equal((await page.context().cookies()).some((c) => c.name === '__Host-session'), false,
      `round ${round}: the session cookie outlived sign-out`)
    await page.goto(`${BASE}/account`)
    assert.equal(new URL(page.url()).pathname, '/account/login', 'signed out, /account asks to sign in')
  }
  await page.context().close()
})

test('error summaries, the forgotten-password and reset pages: usable and accessible', async () => {
  const page = await newPage(browser)
  const email = freshEmail('reset')
  const password = 'Stanford-le-Hope-1892'
  const fresh = 'Corringham-marsh-walk'

  // Register with nothing filled in: the error summary.
  await page.goto(`${BASE}/account/register`)
  let [response] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: 'Create account' }).click()
  ])
  assert.equal(response.status(), 422)
  await expectErrorSummary(page, 'register with nothing filled in')
  await expectAccessible(page, 'register with errors')

  // A too-short password: one error, the rest kept.
  await page.getByLabel('Full name').fill('Rosa Reset')
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Create a password').fill('short')
  ;[response] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: 'Create account' }).click()
  ])
  assert.equal(response.status(), 422)
  await expectErrorSummary(page, 'a short password')
  assert.equal(await page.getByLabel('Email address').inputValue(), email)
  assert.equal(await page.getByLabel('Create a password').inputValue(), '')
  await register(page, 'Rosa Reset', email, password)
  const verify = linkIn((await waitForMail(email, '/account/verify?token=')).body, '/account/verify?token=')
  await page.goto(verify)

  // A wrong password on the sign-in page.
  await page.goto(`${BASE}/account/login`)
  response = await signIn(page, email, 'not-the-password-at-all')
  assert.equal(response.status(), 422)
  await expectErrorSummary(page, 'sign in with a wrong password')
  await expectAccessible(page, 'sign in with errors')

  // Forgotten password: the page, its error, the email, the reset page.
  await page.goto(`${BASE}/account/login`)
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Forgotten your password?' }).click()])
  assert.equal(new URL(page.url()).pathname, '/account/password/forgot')
  await expectAccessible(page, 'forgotten password')
  ;[response] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: 'Send link' }).click()
  ])
  assert.equal(response.status(), 422)
  await expectErrorSummary(page, 'forgotten password with no address')
  await expectAccessible(page, 'forgotten password with errors')
  await page.getByLabel('Email address').fill(email)
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Send link' }).click()])
  assert.equal((await page.locator('h1').textContent()).trim(), 'Check your email')
  await expectAccessible(page, 'reset link sent')

  const reset = linkIn((await waitForMail(email, '/account/password/reset?token=')).body,
    '/account/password/reset?token=')
  response = await page.goto(reset)
  assert.equal(response.status(), 200)
  await expectAccessible(page, 'choose a new password')
  await page.locator('input[type=password]').fill(fresh)
  await Promise.all([page.waitForNavigation(), page.locator('main form button[type=submit]').click()])
  assert.equal(new URL(page.url()).pathname, '/account', 'the reset signs the user in')
  await waitForMail(email, 'Your password has been changed')

  // The link works once.
  response = await page.goto(reset)
  assert.equal(response.status(), 400)
  await expectAccessible(page, 'a used link')

  // Settings with an error summary: a wrong current password.
  await page.goto(`${BASE}/account`)
  await page.getByLabel('Current password').first().fill('not-the-password-at-all')
  await page.getByLabel('New password').fill('Aveley-lakes-sunrise')
  ;[response] = await Promise.all([
    page.waitForNavigation(),
    page.getByRole('button', { name: 'Change password' }).click()
  ])
  assert.equal(response.status(), 422)
  await expectErrorSummary(page, 'change of password with a wrong current password')
  await expectAccessible(page, 'account settings with errors')
  await page.context().close()
})

test('a hiring manager chooses one summary of applications a day instead of an email for each', async () => {
  const page = await newPage(browser)
  await signInAt(page, hiringManager(139605, 'Sunny Summary'))
  await page.goto(`${BASE}/account`)
  const summary = page.getByLabel(/^Instead of an email for each application, one each morning/)
  assert.equal(await summary.isChecked(), false, 'the summary is on before it is chosen')
  assert.equal(await page.getByLabel(/^When someone applies for one of your school's jobs/)
    .isChecked(), true)
  await summary.check()
  await Promise.all([page.waitForNavigation(),
    page.getByRole('button', { name: 'Save email settings' }).click()])
  assert.ok((await page.locator('.govuk-notification-banner').textContent())
    .includes('Your email settings have been saved'))
  assert.equal(await summary.isChecked(), true, 'the summary is not kept')
  await expectAccessible(page, "a hiring manager's email settings")
  await page.context().close()
})
