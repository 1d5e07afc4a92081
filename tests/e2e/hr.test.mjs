// The council's HR pages and a school's staff page in a real browser (issue 3): an HR officer
// finds users, meets the invitation form's error summary, invites a hiring manager of a school
// (whose invitation email arrives), reads the audit log (a filter typed wrong is said beside
// it) and the email outbox (finding the invitee's email by address) and opens a
// school's profile from the list of every school (HR may keep any); a hiring
// manager reads their school's staff and writes the school's profile, which a visitor reads on
// the school's page. axe-core (WCAG 2.2 AA, as accessibility.test.mjs) finds no
// violations on each page, and each reflows at 320 and 700 CSS pixels (the users table of forms
// stacks on a tablet).
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, newPage, expectAccessible } from './browser.mjs'
import { hiringManager, userAdd, press, signIn, uniqueWord } from './fixtures.mjs'
import { waitForMail, linkIn } from './mail.mjs'

const SCHOOL = 115239 // Grays Convent High School, from the seeded directory

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

test('an HR officer finds users, invites a hiring manager, reads the audit log and the outbox', async () => {
  const hr = userAdd('hr', 'hr', 'Harriet Human')
  const page = await newPage(browser)
  await signIn(page, hr)
  let response = await page.goto(`${BASE}/hr/users`)
  assert.equal(response.status(), 200)
  await expectAccessible(page, 'the users page')

  // Finding users by part of their address.
  await page.locator('#q').fill('e2e-hr-')
  await press(page, 'Apply')
  assert.equal(new URL(page.url()).searchParams.get('q'), 'e2e-hr-')
  assert.ok((await page.locator('main').textContent()).includes(hr), 'the search does not find the HR officer')
  await expectAccessible(page, 'the users page, filtered')

  // Inviting with nothing filled in: the error summary, each link to its field.
  await page.goto(`${BASE}/hr/users`)
  response = await press(page, 'Send invitation')
  assert.equal(response.status(), 422)
  assert.match(await page.title(), /^Error: /)
  const hrefs = await page.locator('.govuk-error-summary a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
  assert.ok(hrefs.includes('#invite-name') && hrefs.includes('#invite-email'), `the summary links to ${hrefs}`)
  await expectAccessible(page, 'the invitation form with errors')

  // Inviting a hiring manager of a school: the email arrives with its one-time link.
  const invitee = `e2e-invitee-${process.pid}-${Date.now()}@example.org`
  await page.locator('#invite-name').fill('Ivy Invited')
  await page.locator('#invite-email').fill(invitee)
  await page.locator('#invite-role').selectOption('school_staff')
  await page.locator('#invite-school').selectOption(String(SCHOOL))
  await page.locator('#invite-school-role').selectOption('hiring_manager')
  response = await press(page, 'Send invitation')
  assert.equal(response.status(), 200)
  assert.match(await page.locator('main').textContent(), /The link in the email works once/)
  await expectAccessible(page, 'the users page after an invitation')
  const mail = await waitForMail(invitee, 'You have been invited to Teaching in Thurrock')
  linkIn(mail.body, '/account/password/reset?token=')

  // The audit log records the invitation; the outbox holds its email.
  response = await page.goto(`${BASE}/hr/audit`)
  assert.equal(response.status(), 200)
  assert.ok((await page.locator('main').textContent()).includes(invitee), 'the audit log does not show the invitation')
  await expectAccessible(page, 'the audit log')
  // A day that does not exist: said beside the filter, which keeps what was typed.
  await page.locator('#from').fill('31/02/2026')
  response = await press(page, 'Apply filters')
  assert.equal(response.status(), 400)
  assert.match(await page.title(), /^Error: /)
  assert.equal(await page.locator('#from').inputValue(), '31/02/2026')
  await expectAccessible(page, 'the audit log with a filter typed wrong')
  response = await page.goto(`${BASE}/hr/outbox`)
  assert.equal(response.status(), 200)
  await expectAccessible(page, 'the email outbox')
  // Did the invitation go out? The outbox finds the invitee's emails.
  await page.locator('#to').fill(invitee)
  response = await press(page, 'Find emails')
  assert.equal(response.status(), 200)
  assert.match(await page.locator('main').textContent(), /Showing 1 to 1 of 1 emails sent to an address containing/)
  await expectAccessible(page, 'the email outbox, found by address')

  // HR may keep any school's profile: its navigation leads to the list of every school.
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'School profiles' }).click()])
  assert.equal(new URL(page.url()).pathname, '/school/profile')
  await expectAccessible(page, "HR's list of school profiles")
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: 'Grays Convent High School' }).click()])
  assert.equal(new URL(page.url()).searchParams.get('school'), String(SCHOOL))
  assert.equal(await page.getByRole('link', { name: 'School staff' }).count(), 0)
  await expectAccessible(page, "a school's profile as HR sees it")
  await page.context().close()
})

test("a hiring manager reads their school's staff", async () => {
  const manager = hiringManager(SCHOOL, 'Hugo Hiring')
  const page = await newPage(browser)
  await signIn(page, manager)
  const response = await page.goto(`${BASE}/school/staff`)
  assert.equal(response.status(), 200)
  assert.ok((await page.locator('main').textContent()).includes('Hugo Hiring'), 'the staff page does not list the manager')
  await expectAccessible(page, 'the school staff page')
  await page.context().close()
})

test("a hiring manager writes the school's profile, which visitors read on the school's page", async () => {
  const urn = 139605 // Abbots Hall Primary School, from the seeded directory
  const manager = hiringManager(urn, 'Polly Profile')
  const word = uniqueWord()
  const page = await newPage(browser)
  await signIn(page, manager)
  let response = await page.goto(`${BASE}/school/profile`)
  assert.equal(response.status(), 200)
  assert.equal((await page.locator('h1').textContent()).trim(), 'School profile')
  await expectAccessible(page, 'the school profile form')

  // A website that is not one: the error summary, the text kept.
  await page.getByLabel('About the school (optional)').fill(`A **friendly** village school ${word}.\n\n- Small classes`)
  await page.getByLabel('Website (optional)').fill('not a website')
  response = await press(page, 'Save profile')
  assert.equal(response.status(), 422)
  assert.match(await page.title(), /^Error: /)
  assert.equal(await page.locator('.govuk-error-summary a').getAttribute('href'), '#website')
  assert.ok((await page.getByLabel('About the school (optional)').inputValue()).includes(word))
  await expectAccessible(page, 'the school profile form with an error')

  await page.getByLabel('Website (optional)').fill('www.abbotshall.example.org')
  response = await press(page, 'Save profile')
  assert.equal(response.status(), 200)
  assert.match(await page.locator('.govuk-notification-banner').textContent(), /Your school's profile has been saved/)
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name: "See your school's page" }).click()])
  assert.equal(new URL(page.url()).pathname, `/schools/${urn}`)
  assert.equal(await page.locator('main strong', { hasText: 'friendly' }).count(), 1)
  assert.ok((await page.locator('main').textContent()).includes(word), "the school's page does not show the profile")
  assert.equal(await page.getByRole('link', { name: 'https://www.abbotshall.example.org' }).count(), 1)
  await expectAccessible(page, "the school's page with its profile")
  await page.context().close()
})
