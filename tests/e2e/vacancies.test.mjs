// Vacancies in a real browser (issue 4): a hiring manager signs in, posts a vacancy through
// every step of the form (meeting an error summary on the way) and publishes it; a visitor finds
// it by keyword and by filters and opens it. axe-core (WCAG 2.2 AA, as accessibility.test.mjs)
// finds no violations on the school dashboard, a form step with an error summary, the listing's
// summary, the search page (empty, with results, filtered) and the vacancy page. A listing that
// closes on its date is emailed about; its hiring manager says whether the post was filled (an
// error summary first; axe-core on the closed tab and both states of the page), then stops those
// emails from the link in the email without signing in (axe-core on both pages). A visitor asks
// for a job alert from a search, meets the error summary, reads the confirmation email and
// confirms; axe-core checks each of those pages too. A hiring manager typing a listing for
// longer than the idle timeout stays signed in, and a page whose session ended all the same says
// so (on a clock the test moves) - after a long pause, that its text will be kept when sent,
// which it is; without JavaScript, a description sent after the session ended is kept, and
// sent on after signing in (axe-core on the sign-in page and the kept form). Every page checked also reflows at 320 CSS pixels.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, newPage, expectAccessible } from './browser.mjs'
import { uniqueWord, hiringManager, liveVacancy, dateIn, press, signIn, psql, PASSWORD } from './fixtures.mjs'
import { waitForMail, linkIn } from './mail.mjs'

const SCHOOL = 115239 // a secondary school in Grays, from the seeded directory

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

test('a hiring manager posts a vacancy and a visitor finds it by keyword and by filters', async () => {
  const word = uniqueWord()
  const title = `Teacher of mathematics ${word}`
  const email = hiringManager(SCHOOL)
  const school = await newPage(browser)

  // The dashboard.
  await signIn(school, email)
  let response = await school.goto(`${BASE}/school`)
  assert.equal(response.status(), 200)
  assert.equal((await school.locator('h1').textContent()).trim(), 'Job listings')
  await expectAccessible(school, 'the school dashboard')

  // Step 1, the job: first with nothing filled in (an error summary), then properly.
  response = await Promise.all([
    school.waitForNavigation(),
    school.getByRole('button', { name: 'Create a job listing' }).click()
  ]).then(([r]) => r)
  assert.equal(new URL(school.url()).pathname, '/school/vacancies/new')
  response = await press(school, 'Save and continue')
  assert.equal(response.status(), 422)
  assert.equal(await school.locator('.govuk-error-summary').count(), 1)
  assert.match(await school.title(), /^Error: /)
  await expectAccessible(school, 'the first step with an error summary')
  await school.getByLabel('Job title').fill(title)
  await school.getByLabel('Teacher', { exact: true }).check()
  await school.getByLabel('Secondary', { exact: true }).check()
  await school.getByLabel('Key stage 3', { exact: true }).check()
  await school.getByLabel('Mathematics', { exact: true }).check()
  await school.getByLabel('This job is suitable for an early career teacher (ECT)').check()
  response = await press(school, 'Save and continue')
  assert.equal(response.status(), 200)
  const id = Number(new URL(school.url()).pathname.split('/')[3])
  assert.ok(id > 0, `no vacancy id in ${school.url()}`)
  assert.equal(new URL(school.url()).searchParams.get('step'), 'details')

  // Step 2, contract, pay and start.
  await school.getByLabel('Permanent', { exact: true }).check()
  await school.getByLabel('Full time', { exact: true }).check()
  await school.getByLabel('Main pay scale (MPS)').check()
  await school.getByLabel('From', { exact: true }).fill('31,650')
  await school.getByLabel('To', { exact: true }).fill('43,607')
  await school.getByLabel('As soon as possible').check()
  await school.getByLabel('A Skilled Worker visa can be sponsored for this job').check()
  await press(school, 'Save and continue')
  assert.equal(new URL(school.url()).searchParams.get('step'), 'dates')

  // Step 3, dates: a closing date in the past first (an error summary on an edit step).
  const [pd, pm, py] = dateIn(-3)
  await school.locator('#closes_date-day').fill(pd)
  await school.locator('#closes_date-month').fill(pm)
  await school.locator('#closes_date-year').fill(py)
  await school.locator('#closes_time').selectOption('17:00')
  response = await press(school, 'Save and continue')
  assert.equal(response.status(), 422)
  assert.equal(await school.locator('.govuk-error-summary').count(), 1)
  assert.match(await school.title(), /^Error: /)
  const link = school.locator('.govuk-error-summary a').first()
  const href = await link.getAttribute('href')
  assert.match(href, /^#closes_date-/)
  assert.equal(await school.locator(href).count(), 1, `the error links to ${href}, which is not there`)
  await expectAccessible(school, 'the dates step with an error summary')
  const [cd, cm, cy] = dateIn(3)
  await school.locator('#closes_date-day').fill(cd)
  await school.locator('#closes_date-month').fill(cm)
  await school.locator('#closes_date-year').fill(cy)
  await school.locator('#closes_time').selectOption('17:00')
  await press(school, 'Save and continue')
  assert.equal(new URL(school.url()).searchParams.get('step'), 'about')

  // Step 4, about the job; step 5, contact; then the documents step and the summary.
  await school.getByLabel('Job description').fill(
    `We are looking for a **mathematics** teacher (${word}) to join our friendly department.\n\n` +
    '- Years 7 to 11\n- A supportive team')
  await press(school, 'Save and continue')
  assert.equal(new URL(school.url()).searchParams.get('step'), 'contact')
  assert.equal(await school.getByLabel('Contact email address').inputValue(), email)
  await school.getByLabel('Contact telephone number (optional)').fill('01375 652652')
  await school.getByLabel('School visits (optional)')
    .fill('Visits are welcome on Tuesday afternoons: call the office.')
  await expectAccessible(school, 'the contact step')
  await press(school, 'Save and continue')
  await Promise.all([
    school.waitForNavigation(),
    school.getByRole('button', { name: 'Continue to check your listing' }).click()
  ])
  assert.equal(new URL(school.url()).pathname, `/school/vacancies/${id}`)
  assert.equal((await school.locator('h1').textContent()).trim(), title)
  await expectAccessible(school, 'the listing summary')

  // Publish.
  response = await press(school, 'Publish now')
  assert.equal(response.status(), 200)
  assert.equal(new URL(school.url()).pathname, `/school/vacancies/${id}`)
  assert.ok((await school.locator('.govuk-notification-banner').count()) > 0, 'no banner after publishing')
  await expectAccessible(school, 'the listing summary after publishing')
  // Its reasons count their characters once three quarters of the limit is used.
  const reason = school.getByLabel('Why are you ending it?')
  const count = school.locator('#end_reason ~ .govuk-character-count__status')
  await reason.fill('x'.repeat(700))
  assert.equal(await count.isVisible(), false, 'the count shows below three quarters of the limit')
  await reason.fill('x'.repeat(1001))
  assert.match(await count.textContent(), /You have 1 character too many/)
  await expectAccessible(school, 'the listing summary with a reason over its limit')
  await reason.fill('')
  response = await school.goto(`${BASE}/school?tab=live`)
  assert.ok((await school.locator('main').textContent()).includes(title), 'the live tab does not list it')
  await school.context().close()

  // A visitor: the search page, a keyword search, the vacancy page.
  const visitor = await newPage(browser)
  response = await visitor.goto(`${BASE}/vacancies`)
  assert.equal(response.status(), 200)
  await expectAccessible(visitor, 'the search page')
  await visitor.getByLabel('Search', { exact: true }).fill(word)
  await Promise.all([
    visitor.waitForNavigation(),
    visitor.locator('main').getByRole('button', { name: 'Search', exact: true }).click()
  ])
  assert.equal(new URL(visitor.url()).searchParams.get('q'), word)
  assert.equal((await visitor.locator('#results').textContent()).trim(), '1 job found')
  const result = visitor.getByRole('link', { name: title })
  assert.equal(await result.count(), 1, 'the keyword search does not find the vacancy')
  await expectAccessible(visitor, 'the search page with a result')
  // Each choice says how many of the jobs found it would keep (few jobs are live here).
  assert.equal(await visitor.getByLabel('Teacher (1)', { exact: true }).count(), 1,
    'the role filter does not count the job found')
  assert.equal(await visitor.getByLabel('Primary (0)', { exact: true }).count(), 1,
    'the phase filter does not count 0 primary jobs')

  // The same vacancy through filters only: role, phase, key stage, subject, ECT and visa
  // sponsorship (each choice's label ends with its count).
  await visitor.goto(`${BASE}/vacancies`)
  await visitor.getByLabel(/^Teacher \(\d+\)$/).check()
  await visitor.getByLabel(/^Secondary \(\d+\)$/).check()
  await visitor.locator('summary', { hasText: 'Key stage' }).click()
  await visitor.getByLabel(/^Key stage 3 \(\d+\)$/).check()
  await visitor.locator('summary', { hasText: 'Subject' }).click()
  await visitor.getByLabel(/^Mathematics \(\d+\)$/).check()
  await visitor.getByLabel('Suitable for early career teachers (ECTs)').check()
  await visitor.getByLabel(/^Visa sponsorship available \(\d+\)$/).check()
  await Promise.all([
    visitor.waitForNavigation(),
    visitor.getByRole('button', { name: 'Apply filters' }).click()
  ])
  const params = new URL(visitor.url()).searchParams
  assert.deepEqual(params.getAll('role'), ['teacher'])
  assert.deepEqual(params.getAll('phase'), ['secondary'])
  assert.deepEqual(params.getAll('key_stage'), ['ks3'])
  assert.deepEqual(params.getAll('subject'), ['mathematics'])
  assert.equal(params.get('ect_suitable'), 'true')
  assert.equal(params.get('visa_sponsorship'), 'true')
  assert.equal(await visitor.getByRole('link', { name: title }).count(), 1,
    'the filters do not find the vacancy')
  await expectAccessible(visitor, 'the search page with filters')

  // A filter that excludes it: the empty state.
  await visitor.goto(`${BASE}/vacancies?q=${word}&phase=primary`)
  assert.equal(await visitor.getByRole('link', { name: title }).count(), 0)
  assert.match(await visitor.locator('main').textContent(), /No jobs match/)
  await expectAccessible(visitor, 'the search page with no results')

  // The vacancy page.
  await visitor.goto(`${BASE}/vacancies?q=${word}`)
  response = await Promise.all([
    visitor.waitForNavigation(),
    visitor.getByRole('link', { name: title }).click()
  ]).then(([r]) => r)
  assert.equal(response.status(), 200)
  assert.equal(new URL(visitor.url()).pathname, `/vacancies/${id}`)
  assert.equal((await visitor.locator('h1').textContent()).trim(), title)
  const main = await visitor.locator('main').textContent()
  assert.match(main, /A Skilled Worker visa can be sponsored/)
  assert.match(main, /Visits are welcome on Tuesday afternoons/)
  for (const name of ['Visiting the school', 'Commitment to safeguarding']) {
    assert.equal(await visitor.getByRole('heading', { name }).count(), 1, `no heading ${name}`)
  }
  assert.equal(await visitor.locator('main strong', { hasText: 'mathematics' }).count(), 1,
    'the description\'s Markdown is not rendered')
  const ld = JSON.parse(await visitor.locator('script[type="application/ld+json"]').textContent())
  assert.equal(ld['@type'], 'JobPosting')
  assert.equal(ld.title, title)
  await expectAccessible(visitor, 'the vacancy page')
  await visitor.context().close()
})

test('a hiring manager is emailed when a listing closes and says whether the post was filled', async () => {
  const title = `Teacher of history ${uniqueWord()}`
  const email = hiringManager(SCHOOL)
  const id = liveVacancy(SCHOOL, title, '-1 minute')
  assert.ok(id > 0, 'no listing was made')

  // The periodic job closes it and emails the school's hiring managers a link to it.
  const mail = await waitForMail(email, `Your job listing has closed: ${title}`, 40000)
  assert.match(mail.body, /No one applied\./)
  const link = linkIn(mail.body, '/school/vacancies/')
  assert.equal(new URL(link).pathname, `/school/vacancies/${id}`)

  const school = await newPage(browser)
  await signIn(school, email)
  await school.goto(`${BASE}/school?tab=closed`)
  const ask = school.locator(`main a[href="/school/vacancies/${id}#outcome"]`)
  assert.equal(await ask.count(), 1, 'the closed tab does not ask whether the post was filled')
  assert.match(await ask.textContent(), /^Tell us if the post was filled\W+Teacher of history/)
  await expectAccessible(school, 'the closed tab of the dashboard')
  await Promise.all([school.waitForNavigation(), ask.click()])
  assert.equal(new URL(school.url()).pathname, `/school/vacancies/${id}`)

  // No answer chosen: the error summary and the message beside the question.
  let response = await press(school, 'Save your answer')
  assert.equal(response.status(), 422)
  assert.match(await school.title(), /^Error: /)
  assert.equal(await school.locator('.govuk-error-summary a[href="#outcome_filled"]').count(), 1)
  assert.match(await school.locator('#outcome_filled-error').textContent(), /Select yes if the post was filled/)
  await expectAccessible(school, 'the closed listing with an error on its question')

  await school.getByRole('group', { name: 'Was the post filled?' }).getByLabel('No').check()
  response = await press(school, 'Save your answer')
  assert.equal(response.status(), 200)
  assert.match(await school.locator('.govuk-notification-banner').textContent(), /Your answer has been saved/)
  assert.match(await school.locator('main').textContent(), /The post was not filled\./)
  await expectAccessible(school, 'the closed listing after answering')
  await school.goto(`${BASE}/school?tab=closed`)
  assert.match(await school.locator('main').textContent(), /Post not filled/)

  // The email's own link stops these emails without signing in (also its List-Unsubscribe).
  const stop = linkIn(mail.body, '/emails/stop?token=')
  assert.ok(mail.headers.includes(`List-Unsubscribe: <${stop}>`), `headers:\n${mail.headers}`)
  const visitor = await newPage(browser)
  response = await visitor.goto(stop)
  assert.equal(response.status(), 200)
  assert.match(await visitor.locator('main').textContent(), /When a job listing closes, with how many people applied/)
  await expectAccessible(visitor, 'the page of a link that stops emails')
  response = await press(visitor, 'Stop these emails')
  assert.equal(response.status(), 200)
  assert.equal((await visitor.locator('h1').textContent()).trim(), 'Emails stopped')
  await expectAccessible(visitor, 'the emails stopped page')
  await visitor.context().close()
  await school.goto(`${BASE}/account`)
  assert.equal(await school.getByLabel('When a job listing closes, with how many people applied').isChecked(), false)
  assert.equal(await school.getByLabel('When a scheduled job listing goes live').isChecked(), true)
  await school.context().close()
})

test('a visitor asks for a job alert from a search and confirms it from the email', async () => {
  const email = `e2e-alert-${process.pid}-${Date.now()}@example.org`
  const visitor = await newPage(browser)
  let response = await visitor.goto(`${BASE}/vacancies?q=mathematics&phase=secondary&sort=newest`)
  assert.equal(response.status(), 200)
  await Promise.all([
    visitor.waitForNavigation(),
    visitor.getByRole('link', { name: 'Get an email when new jobs match this search' }).click()
  ])
  const url = new URL(visitor.url())
  assert.equal(url.pathname, '/job-alerts/new')
  assert.equal(url.searchParams.get('q'), 'mathematics')
  assert.equal(url.searchParams.get('phase'), 'secondary')
  assert.equal(url.searchParams.get('sort'), null)
  assert.ok((await visitor.locator('main').textContent()).includes('Secondary'), 'the search is not shown')
  await expectAccessible(visitor, 'the job alert form')

  // A wrong address: the error summary links to the field.
  await visitor.getByLabel('Email address').fill('not an address')
  response = await press(visitor, 'Get job alerts')
  assert.equal(response.status(), 422)
  assert.match(await visitor.title(), /^Error: /)
  assert.equal(await visitor.locator('.govuk-error-summary a[href="#email"]').count(), 1)
  await expectAccessible(visitor, 'the job alert form with an error')

  await visitor.getByLabel('Email address').fill(email)
  await visitor.getByLabel('Weekly').check()
  response = await press(visitor, 'Get job alerts')
  assert.equal(response.status(), 200)
  assert.equal((await visitor.locator('h1').textContent()).trim(), 'Check your email')
  await expectAccessible(visitor, 'the check-your-email page')

  const mail = await waitForMail(email, 'Confirm your job alert')
  assert.ok(mail.body.includes('- Phase: Secondary'), `the email does not describe the search:\n${mail.body}`)
  const link = linkIn(mail.body, '/job-alerts/manage?token=')
  const reader = await newPage(browser)
  response = await reader.goto(link)
  assert.equal(response.status(), 200)
  assert.equal((await reader.locator('h1').textContent()).trim(), 'Confirm your job alert')
  await expectAccessible(reader, 'the confirmation page')
  response = await press(reader, 'Confirm job alert')
  assert.equal(response.status(), 200)
  assert.equal((await reader.locator('h1').textContent()).trim(), 'Your job alert is set up')
  assert.ok((await reader.locator('main').textContent()).includes('Weekly emails'))
  await expectAccessible(reader, 'the job alert set up')
  // The same link now offers to stop it.
  await reader.goto(link)
  assert.equal(await reader.locator('main').getByRole('button', { name: 'Stop this job alert' }).count(), 1)
  // And to change how often, in place.
  response = await press(reader, 'Email me daily instead')
  assert.equal(response.status(), 200)
  assert.match(await reader.locator('.govuk-notification-banner').textContent(),
    /You will get this job alert every day/)
  await expectAccessible(reader, 'the job alert, changed to daily')
  await reader.context().close()
  await visitor.context().close()
})

test('on a phone the search filters fold behind a button, so the results come first', async () => {
  const phone = { width: 390, height: 844 }
  const page = await newPage(browser, { viewport: phone })
  let response = await page.goto(`${BASE}/vacancies?phase=secondary`)
  assert.equal(response.status(), 200)
  const toggle = page.getByRole('button', { name: 'Show filters (1 selected)' })
  assert.equal(await toggle.getAttribute('aria-expanded'), 'false')
  assert.equal(await page.getByRole('group', { name: 'Job role' }).isVisible(), false)
  const results = await page.locator('#results').boundingBox()
  assert.ok(results.y + results.height < phone.height, `the results start at ${results.y} px`)
  await expectAccessible(page, 'the search on a phone, filters folded')
  await toggle.click()
  const hide = page.getByRole('button', { name: 'Hide filters (1 selected)' })
  assert.equal(await hide.getAttribute('aria-expanded'), 'true')
  assert.equal(await page.getByRole('group', { name: 'Job role' }).isVisible(), true)
  assert.equal(await page.getByRole('checkbox', { name: /^Secondary/ }).isChecked(), true)
  await expectAccessible(page, 'the search on a phone, filters shown')
  // Choosing a filter and applying it still works from the unfolded panel.
  await page.getByRole('checkbox', { name: /^Teacher/ }).check()
  response = await Promise.all([page.waitForNavigation(),
    page.getByRole('button', { name: 'Apply filters' }).click()]).then(([r]) => r)
  assert.equal(new URL(page.url()).searchParams.getAll('role').join(), 'teacher')
  assert.equal(await page.getByRole('button', { name: 'Show filters (2 selected)' }).count(), 1)
  await page.context().close()

  // On a wider screen, and without JavaScript, the filters are simply there.
  for (const options of [{ viewport: { width: 1280, height: 900 } }, { viewport: phone, javaScriptEnabled: false }]) {
    const other = await newPage(browser, options)
    await other.goto(`${BASE}/vacancies?phase=secondary`)
    assert.equal(await other.getByRole('group', { name: 'Job role' }).isVisible(), true)
    assert.equal(await other.getByRole('button', { name: /filters \(/ }).isVisible(), false)
    if (options.javaScriptEnabled === false) {
      // The filters come first: a link skips them to the jobs.
      await other.getByRole('link', { name: 'Skip the filters to the jobs found' }).click()
      const box = await other.locator('#results').boundingBox()
      const top = await other.evaluate(() => window.scrollY)
      assert.ok(box.y >= 0 && box.y < phone.height, `the results are at ${box.y} px after the skip link (scrolled ${top})`)
    }
    await other.context().close()
  }
})

// True for the address of the page's keepalive request (with the form typed in as ?form=).
const isKeepalive = (url) => new URL(url).pathname === '/account/keepalive'

test('a hiring manager typing a long listing stays signed in; a page whose session has ended says so', async () => {
  const email = hiringManager(SCHOOL, 'Kit Keepalive')
  const page = await newPage(browser)
  await page.clock.install() // the page's timers run on a clock the test moves
  await signIn(page, email)
  await page.goto(`${BASE}/school/vacancies/new`)
  // The session has been idle for 25 of its 30 minutes.
  const idle = () => psql("SELECT round(extract(epoch FROM now() - max(s.last_seen_at)) / 60) FROM sessions s JOIN users u ON u.id = s.user_id WHERE u.email = :'email'", { email })
  psql("UPDATE sessions SET last_seen_at = now() - interval '25 minutes' WHERE user_id = (SELECT id FROM users WHERE email = :'email')", { email })
  assert.equal(idle(), '25')

  // Nothing typed: five minutes pass without asking the server.
  let asked = 0
  page.on('request', (request) => { if (isKeepalive(request.url())) asked += 1 })
  await page.clock.runFor('05:01')
  assert.equal(asked, 0, 'the page kept an idle session alive')

  // Typing: within five minutes the page asks the server, which refreshes the session.
  await page.getByLabel('Job title').fill('Teacher of Geography')
  const kept = page.waitForResponse((response) => isKeepalive(response.url()))
  await page.clock.runFor('05:01')
  assert.equal((await kept).status(), 204)
  assert.equal(new URL((await kept).url()).searchParams.get('form'), '/school/vacancies/new')
  assert.equal(idle(), '0')

  // Signed out elsewhere: the next time it asks, the page warns before the text is lost.
  psql("DELETE FROM sessions WHERE user_id = (SELECT id FROM users WHERE email = :'email')", { email })
  await page.getByLabel('Job title').fill('Teacher of Geography and History')
  const ended = page.waitForResponse((response) => isKeepalive(response.url()))
  await page.clock.runFor('05:01')
  assert.equal((await ended).status(), 401)
  const warning = page.getByRole('alert')
  await warning.waitFor()
  assert.match(await warning.textContent(), /You have been signed out, so this page cannot be sent\. Copy anything you have written/)
  assert.equal(await page.getByLabel('Job title').inputValue(), 'Teacher of Geography and History')
  await expectAccessible(page, 'a listing form whose session has ended')
  await page.context().close()
})

test('a listing page whose session ran out says its text will be kept, and keeps it', async () => {
  const email = hiringManager(SCHOOL, 'Lara Lapsed')
  const page = await newPage(browser)
  await page.clock.install()
  await signIn(page, email)
  await page.goto(`${BASE}/school/vacancies/new`)
  // Away for 35 minutes, then back to typing: the next keepalive finds the session ended.
  psql("UPDATE sessions SET last_seen_at = now() - interval '35 minutes' WHERE user_id = (SELECT id FROM users WHERE email = :'email')", { email })
  await page.getByLabel('Job title').fill('Teacher of Drama')
  const ended = page.waitForResponse((response) => isKeepalive(response.url()))
  await page.clock.runFor('05:01')
  assert.equal((await ended).status(), 401)
  const warning = page.getByRole('alert')
  await warning.waitFor()
  assert.match(await warning.textContent(), /You will be asked to sign in again, and what you have written will be kept/i)
  await expectAccessible(page, 'a listing form whose session ran out')
  const response = await press(page, 'Save and continue')
  assert.equal(response.status(), 200)
  assert.equal(new URL(page.url()).pathname, '/account/login')
  assert.match(await page.locator('main').textContent(), /We kept it\. Sign in again to send it\./)
  await page.context().close()
})

test('without JavaScript, a description sent after the session ended is kept through signing in', async () => {
  const email = hiringManager(SCHOOL, 'Nora Noscript')
  const id = Number(psql(`
    WITH v AS (INSERT INTO vacancies (school_urn, title) VALUES (:'urn', 'Teacher of Music')
      RETURNING id, school_urn)
    INSERT INTO vacancy_schools (vacancy_id, school_urn) SELECT id, school_urn FROM v
    RETURNING vacancy_id`, { urn: SCHOOL }))
  const text = `A department that sings together ${uniqueWord()}.`
  const page = await newPage(browser, { javaScriptEnabled: false })
  await signIn(page, email)
  await page.goto(`${BASE}/school/vacancies/${id}/edit?step=about`)
  await page.getByLabel('Job description').fill(text)
  // Half an hour passes without a request, then the form is sent.
  psql("UPDATE sessions SET last_seen_at = now() - interval '35 minutes' WHERE user_id = (SELECT id FROM users WHERE email = :'email')", { email })
  let response = await press(page, 'Save and continue')
  assert.equal(new URL(page.url()).pathname, '/account/login')
  assert.match(await page.locator('main').textContent(), /what you sent has not been saved yet/)
  const kept = new URL(page.url()).searchParams.get('next')
  assert.match(kept, /^\/account\/kept-form\?token=/)
  assert.equal(psql('SELECT description FROM vacancies WHERE id = :id', { id }), '')

  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  response = await press(page, 'Sign in')
  assert.equal(response.status(), 200)
  assert.equal((await page.locator('h1').textContent()).trim(), 'Send what you wrote again')
  response = await press(page, 'Send it again')
  assert.equal(response.status(), 200)
  assert.equal(psql('SELECT description FROM vacancies WHERE id = :id', { id }), text)
  await page.context().close()

  // The same pages with JavaScript, for axe-core.
  const checked = await newPage(browser)
  await checked.goto(`${BASE}/account/login?kept=1&next=${encodeURIComponent(kept)}`)
  await expectAccessible(checked, 'the sign-in page saying a form was kept')
  await signIn(checked, email)
  await checked.goto(`${BASE}${kept}`)
  await expectAccessible(checked, 'a kept form')
  await checked.context().close()
})
