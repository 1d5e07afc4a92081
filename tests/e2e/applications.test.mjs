// Online applications in a real browser (issue 5): a candidate opens a live vacancy of a school
// with a religious character, starts an application and completes every section through its
// forms (meeting error summaries on the way), attaches a CV, checks the answers and sends the
// application; the confirmation email arrives. A hiring manager of the school sees it on the
// dashboard, opens it, finds the CV's download link, shortlists the candidate and invites them
// to interview; the candidate's email carries the invitation as an iCalendar attachment, and
// their applications page shows the new status. A visitor signs in from a job to save it, finds
// it in their saved jobs and removes it. axe-core (WCAG 2.2 AA, as accessibility.test.mjs) finds
// no violations on every page of both flows, and each reflows at 320 CSS pixels.
import { test, before, after } from 'node:test'
import assert from 'node:assert/strict'
import { BASE, launch, newPage, expectAccessible } from './browser.mjs'
import { PASSWORD, uniqueWord, psql, userAdd, liveVacancy, dateIn, press, signIn } from './fixtures.mjs'
import { waitForMail } from './mail.mjs'

const SCHOOL = 115239 // Grays Convent High School: secondary, Roman Catholic (the religion section)

let browser
before(async () => { browser = await launch() })
after(async () => { await browser?.close() })

// The error summary is shown, each of its links points at an element of the page, and the
// title starts "Error: ".
async function expectErrorSummary (page, what) {
  const summary = page.locator('.govuk-error-summary')
  assert.equal(await summary.count(), 1, `${what}: no error summary`)
  const hrefs = await summary.locator('a').evaluateAll((as) => as.map((a) => a.getAttribute('href')))
  assert.ok(hrefs.length > 0, `${what}: the error summary has no links`)
  for (const href of hrefs) {
    assert.match(href, /^#[A-Za-z0-9_-]+$/, `${what}: summary link ${href}`)
    assert.equal(await page.locator(href).count(), 1, `${what}: summary link ${href} has no target`)
  }
  assert.match(await page.title(), /^Error: /, `${what}: title`)
}

// A one-page PDF with a correct cross-reference table, as a CV.
function cvPdf () {
  const text = 'BT /F1 18 Tf 72 770 Td (Ada Applicant - curriculum vitae) Tj ET'
  const objects = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R ' +
      '/Resources << /Font << /F1 5 0 R >> >> >>',
    `<< /Length ${text.length} >>\nstream\n${text}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>'
  ]
  let pdf = '%PDF-1.4\n'
  const offsets = objects.map((o, i) => {
    const at = pdf.length
    pdf += `${i + 1} 0 obj\n${o}\nendobj\n`
    return at
  })
  const xref = pdf.length
  pdf += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n` +
    offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('') +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`
  return Buffer.from(pdf, 'latin1')
}

// The decoded attachment of type contentType in a multipart message's raw body, or null.
function attachment (body, contentType) {
  const escaped = contentType.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')
  const m = new RegExp(`Content-Type: ${escaped}[^\\r\\n]*\\r\\n(?:[^\\r\\n]+\\r\\n)*\\r\\n([A-Za-z0-9+/=\\r\\n]+)`)
    .exec(body)
  return m ? Buffer.from(m[1].replace(/\s+/g, ''), 'base64').toString('utf8') : null
}

// Follows the link called name in main; returns the response.
async function follow (page, name) {
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.locator('main').getByRole('link', { name, exact: true }).first().click()
  ])
  return response
}

// Selects the radio labelled option in the question (fieldset) whose legend is question.
async function choose (page, question, option) {
  await page.getByRole('group', { name: question, exact: true })
    .getByLabel(option, { exact: true }).first().check()
}

// Fills a GOV.UK month input (<id>-month, <id>-year).
async function month (page, id, m, y) {
  await page.locator(`#${id}-month`).fill(m)
  await page.locator(`#${id}-year`).fill(y)
}

// On an application's task list: the status shown for the section called title.
async function taskStatus (page, title) {
  const item = page.locator('.govuk-task-list__item', {
    has: page.getByRole('link', { name: title, exact: true })
  })
  return (await item.locator('.govuk-task-list__status').textContent()).trim()
}

// From the task list, opens the section called title; returns the response.
async function openSection (page, title) {
  const response = await follow(page, title)
  assert.equal(response.status(), 200, `the ${title} section`)
  assert.equal((await page.locator('h1').textContent()).trim(), title)
  return response
}

// Saves an object section with "Save and continue": back on the task list, marked Completed.
async function saveSection (page, title, taskList) {
  const response = await press(page, 'Save and continue')
  assert.equal(response.status(), 200, `saving ${title}`)
  assert.equal(page.url(), taskList, `after saving ${title}`)
  assert.equal(await taskStatus(page, title), 'Completed', `${title} is not marked completed`)
}

// Saves the item form of a list section ("Save <noun>"): back on the section page, which now
// shows the item as a summary card headed heading.
async function saveItem (page, noun, heading) {
  const response = await press(page, `Save ${noun}`)
  assert.equal(response.status(), 200, `saving a ${noun}`)
  assert.equal(await page.locator('.govuk-summary-card__title', { hasText: heading }).count(), 1,
    `no summary card for the ${noun} ${heading}`)
}

test('a candidate applies with a CV; a hiring manager shortlists and invites to interview', async () => {
  const word = uniqueWord()
  const title = `Teacher of mathematics ${word}`
  const vacancyId = liveVacancy(SCHOOL, title)
  const managerEmail = userAdd('manager', 'school_staff', 'Hattie Hiring',
    ['--school', String(SCHOOL), '--school-role', 'hiring_manager'])
  const candidateEmail = userAdd('candidate', 'candidate', 'Ada Applicant')
  const cv = cvPdf()

  // ---- the candidate: the vacancy, the start page, the task list ----
  const cand = await newPage(browser)
  await signIn(cand, candidateEmail)
  let response = await cand.goto(`${BASE}/vacancies/${vacancyId}`)
  assert.equal(response.status(), 200)
  response = await press(cand, 'Apply for this job')
  assert.equal(response.status(), 200)
  assert.equal(new URL(cand.url()).pathname, `/vacancies/${vacancyId}/apply`)
  assert.equal((await cand.locator('h1').textContent()).trim(), `Apply for ${title}`)
  await expectAccessible(cand, 'the start page')
  response = await press(cand, 'Start application')
  assert.equal(response.status(), 200)
  const appPath = new URL(cand.url()).pathname
  assert.match(appPath, /^\/account\/applications\/\d+$/)
  const appId = Number(appPath.split('/')[3])
  const taskList = `${BASE}${appPath}`
  assert.equal((await cand.locator('h1').textContent()).trim(), `Your application for ${title}`)
  assert.equal(await taskStatus(cand, 'Personal details'), 'Not started')
  assert.equal(await cand.getByRole('link', { name: "Religion and the school's ethos" }).count(), 1,
    'a school with a religious character asks about religion')
  await expectAccessible(cand, 'the task list')

  // Personal details: first with nothing filled in (an error summary), then properly.
  await openSection(cand, 'Personal details')
  await expectAccessible(cand, 'the personal details form')
  response = await press(cand, 'Save and continue')
  assert.equal(response.status(), 422)
  await expectErrorSummary(cand, 'personal details with nothing filled in')
  await expectAccessible(cand, 'personal details with an error summary')
  await cand.getByLabel('First name').fill('Ada')
  await cand.getByLabel('Last name').fill('Applicant')
  await cand.getByLabel('Address line 1').fill('12 Thames Road')
  await cand.getByLabel('Town or city').fill('Grays')
  await cand.getByLabel('Postcode').fill('rm17 5ux')
  await cand.getByLabel('Telephone number').fill('01375 123456')
  await cand.getByLabel('Email address').fill(candidateEmail)
  await cand.getByLabel('National Insurance number').fill('QQ 12 34 56 C')
  await choose(cand, 'Do you have the right to work in the UK?', 'Yes')
  await saveSection(cand, 'Personal details', taskList)

  // Professional status.
  await openSection(cand, 'Professional status')
  await expectAccessible(cand, 'the professional status form')
  await choose(cand, 'Do you have qualified teacher status (QTS)?', 'Yes')
  await cand.getByLabel('Teacher reference number (TRN)').fill('1234567')
  await choose(cand, 'What is your induction status?', 'Passed')
  await saveSection(cand, 'Professional status', taskList)

  // Qualifications: two items, then the section.
  await openSection(cand, 'Qualifications')
  await expectAccessible(cand, 'the qualifications page')
  await cand.getByLabel('Type of qualification').selectOption({ label: 'Undergraduate degree' })
  await cand.getByLabel('Subject').fill('Mathematics')
  await cand.getByLabel('Grade').fill('2:1')
  await cand.getByLabel('School, college or university').fill('University of Essex')
  await cand.getByLabel('Year awarded').fill('2014')
  await saveItem(cand, 'qualification', 'Mathematics')
  await cand.getByLabel('Type of qualification').selectOption({ label: 'PGCE' })
  await cand.getByLabel('Subject').fill('Secondary mathematics')
  await cand.getByLabel('School, college or university').fill('Anglia Ruskin University')
  await cand.getByLabel('Year awarded').fill('2015')
  await saveItem(cand, 'qualification', 'Secondary mathematics')
  await expectAccessible(cand, 'the qualifications page with two items')
  await saveSection(cand, 'Qualifications', taskList)

  // Training and development: one course.
  await openSection(cand, 'Training and development')
  await cand.getByLabel('Course or training').fill('Teaching for mastery')
  await cand.getByLabel('Provider').fill('NCETM')
  await cand.getByLabel('Year completed').fill('2022')
  await saveItem(cand, 'course', 'Teaching for mastery')
  await saveSection(cand, 'Training and development', taskList)

  // Employment history: two jobs with five months between them; completing the section
  // without explaining that gap is refused (an error summary), then explained.
  await openSection(cand, 'Employment history')
  await cand.getByLabel('Employer').fill('Ockendon Academy')
  await cand.getByLabel('Job title').fill('Teacher of mathematics')
  await month(cand, 'start', '9', '2015')
  await month(cand, 'end', '7', '2019')
  await cand.getByLabel('Main duties').fill('Teaching mathematics to years 7 to 13.')
  await cand.getByLabel('Reason for leaving').fill('Travelling.')
  await saveItem(cand, 'job', 'Teacher of mathematics')
  await cand.getByLabel('Employer').fill('Gable Hall School')
  await cand.getByLabel('Job title').fill('Second in mathematics')
  await month(cand, 'start', '1', '2020')
  await cand.getByLabel('I currently work here').check()
  await cand.getByLabel('Main duties').fill('Leading key stage 3 mathematics.\nMentoring ECTs.')
  await saveItem(cand, 'job', 'Second in mathematics')
  const gap = cand.locator('textarea[name^="gap_"]')
  assert.equal(await gap.count(), 1, 'the gap from August to December 2019 is not asked about')
  await expectAccessible(cand, 'the employment page with a gap to explain')
  response = await press(cand, 'Save and continue')
  assert.equal(response.status(), 422)
  await expectErrorSummary(cand, 'employment with a gap not explained')
  await expectAccessible(cand, 'the employment page with an error summary')
  await cand.locator('textarea[name^="gap_"]').fill('I travelled in South America.')
  await saveSection(cand, 'Employment history', taskList)

  // Personal statement.
  await openSection(cand, 'Personal statement')
  await expectAccessible(cand, 'the personal statement form')
  // Its words are counted once three quarters of the 1,500 allowed are used.
  const statement = cand.getByLabel('Your personal statement')
  const words = cand.locator('#statement ~ .govuk-character-count__status')
  await statement.fill('word '.repeat(1000))
  assert.equal(await words.isVisible(), false, 'the count shows below three quarters of the limit')
  await statement.fill('word '.repeat(1200))
  assert.match(await words.textContent(), /You have 300 words remaining/)
  await statement.fill('word '.repeat(1501))
  assert.match(await words.textContent(), /You have 1 word too many/)
  await expectAccessible(cand, 'the personal statement over its limit')
  await cand.getByLabel('Your personal statement').fill(
    'I have taught mathematics for ten years.\n\nI would like to join a department that plans ' +
    'together and to help every pupil enjoy the subject.')
  await saveSection(cand, 'Personal statement', taskList)

  // Referees: two, one of them from the current employer.
  await openSection(cand, 'Referees')
  await expectAccessible(cand, 'the referees page')
  const referees = [
    ['Rhona Referee', 'Head of mathematics', 'Gable Hall School', 'Line manager',
      'rhona.referee@example.org', 'Yes', true],
    ['Ravi Referee', 'Deputy headteacher', 'Ockendon Academy', 'Former line manager',
      'ravi.referee@example.org', 'No', false]
  ]
  for (const [name, job, organisation, relationship, email, current, ask] of referees) {
    await cand.getByLabel('Full name').fill(name)
    await cand.getByLabel('Job title').fill(job)
    await cand.getByLabel('Organisation').fill(organisation)
    await cand.getByLabel('How do you know them?').fill(relationship)
    await cand.getByLabel('Email address').fill(email)
    await cand.getByLabel('Telephone number').fill('01375 654321')
    await choose(cand, 'Is this referee from your current or most recent employer?', current)
    if (ask) await cand.getByLabel('Ask me before contacting this referee').check()
    await saveItem(cand, 'referee', name)
  }
  await saveSection(cand, 'Referees', taskList)

  // Religion and the school's ethos.
  await openSection(cand, "Religion and the school's ethos")
  await expectAccessible(cand, 'the religion form')
  await choose(cand, 'Are you following a religion or belief?', 'Yes')
  await cand.getByLabel('Your religion or belief', { exact: true }).fill('Roman Catholic')
  await cand.getByLabel('Place of worship you attend').fill('St Thomas of Canterbury, Grays')
  await cand.getByLabel("How would you support the school's religious ethos?").fill(
    'By taking part in the life of the school, its assemblies and its charity work.')
  await saveSection(cand, "Religion and the school's ethos", taskList)

  // Support at interview.
  await openSection(cand, 'Support at interview')
  await expectAccessible(cand, 'the support form')
  await choose(cand, 'Do you need any support or adjustments at interview?', 'No')
  await saveSection(cand, 'Support at interview', taskList)

  // Declarations.
  await openSection(cand, 'Declarations')
  await expectAccessible(cand, 'the declarations form')
  await choose(cand, 'Do you have a close relationship with anyone who works at or governs the school?', 'No')
  await choose(cand, 'Do you have any convictions, cautions, reprimands or final warnings that are not protected?', 'No')
  await cand.getByLabel('I confirm that what I said about my right to work in the UK is true').check()
  await cand.getByLabel('I confirm that the information in this application is true and complete').check()
  await saveSection(cand, 'Declarations', taskList)

  // Equal opportunities monitoring: some answers, some "Prefer not to say".
  await openSection(cand, 'Equal opportunities monitoring')
  await expectAccessible(cand, 'the equal opportunities form')
  await choose(cand, 'Do you consider yourself to have a disability?', 'Prefer not to say')
  await choose(cand, 'What is your age?', '30 to 39')
  await choose(cand, 'What is your sex?', 'Prefer not to say')
  await choose(cand, 'Is the gender you identify with the same as your sex registered at birth?', 'Yes')
  await choose(cand, 'What is your sexual orientation?', 'Prefer not to say')
  await choose(cand, 'What is your ethnic group?', 'White')
  await choose(cand, 'What is your religion?', 'Christian')
  await saveSection(cand, 'Equal opportunities monitoring', taskList)
  assert.match(await cand.locator('main').textContent(), /You have completed 11 of 11 sections/)

  // The CV.
  response = await follow(cand, 'CV and covering letter')
  assert.equal(response.status(), 200)
  assert.equal(new URL(cand.url()).pathname, `${appPath}/documents`)
  await expectAccessible(cand, 'the documents page')
  await cand.getByLabel('Upload your CV').setInputFiles({
    name: 'Ada Applicant CV.pdf', mimeType: 'application/pdf', buffer: cv
  })
  response = await press(cand, 'Upload CV')
  assert.equal(response.status(), 200)
  assert.equal(new URL(cand.url()).pathname, `${appPath}/documents`)
  assert.match(await cand.locator('.govuk-notification-banner').textContent(), /Document uploaded/)
  assert.equal(await cand.locator('main').getByRole('link', { name: 'Ada Applicant CV.pdf' }).count(), 1,
    'the uploaded CV is not listed')
  await expectAccessible(cand, 'the documents page with a CV')
  await follow(cand, 'Return to your application')
  assert.equal(cand.url(), taskList)
  assert.match(await cand.locator('#documents-status').textContent(), /Attached/)

  // Check your answers, then send.
  response = await press(cand, 'Check your answers')
  assert.equal(response.status(), 200)
  assert.equal(new URL(cand.url()).pathname, `${appPath}/review`)
  const review = await cand.locator('main').textContent()
  for (const answer of ['Ada', 'RM17 5UX', 'Secondary mathematics', 'I travelled in South America.',
    'Rhona Referee', 'Roman Catholic', 'Ada Applicant CV.pdf']) {
    assert.ok(review.includes(answer), `the review page does not show ${answer}`)
  }
  await expectAccessible(cand, 'check your answers')
  response = await press(cand, 'Accept and send application')
  assert.equal(response.status(), 200)
  assert.equal(new URL(cand.url()).pathname, appPath)
  assert.equal((await cand.locator('.govuk-panel__title').textContent()).trim(), 'Application sent')
  assert.equal((await cand.locator('#status .govuk-tag').textContent()).trim(), 'Submitted')
  await expectAccessible(cand, 'the confirmation')
  const confirmation = await waitForMail(candidateEmail, 'has been submitted')
  assert.match(confirmation.headers, new RegExp(`^Subject: Your application for ${title} has been submitted`, 'm'))
  await waitForMail(managerEmail, title)

  response = await cand.goto(`${BASE}/account/applications`)
  assert.equal(response.status(), 200)
  const sentRow = cand.locator('tr', { has: cand.getByRole('link', { name: title, exact: true }) })
  assert.equal((await sentRow.locator('.govuk-tag').textContent()).trim(), 'Submitted')
  await expectAccessible(cand, 'your applications')

  // ---- the hiring manager ----
  const school = await newPage(browser)
  await signIn(school, managerEmail)
  response = await school.goto(`${BASE}/school`)
  assert.equal(response.status(), 200)
  const count = school.getByRole('link', { name: `1 application for ${title}`, exact: true })
  assert.equal(await count.count(), 1, 'the dashboard does not show 1 application for the vacancy')
  await expectAccessible(school, 'the school dashboard with an application')
  await Promise.all([school.waitForNavigation(), count.click()])
  assert.equal(new URL(school.url()).pathname, `/school/vacancies/${vacancyId}/applications`)
  assert.equal((await school.locator('h1').textContent()).trim(), `Applications for ${title}`)
  await expectAccessible(school, "the vacancy's applications")
  response = await follow(school, 'Ada Applicant')
  assert.equal(response.status(), 200)
  assert.equal(new URL(school.url()).pathname, `/school/applications/${appId}`)
  assert.equal((await school.locator('h1').textContent()).trim(), 'Ada Applicant')
  const schoolView = await school.locator('main').textContent()
  assert.ok(schoolView.includes('Secondary mathematics'), 'the application page lacks the answers')
  assert.ok(!schoolView.includes('What is your sexual orientation'),
    'equal opportunities answers are shown to the school')
  await expectAccessible(school, 'the application page')

  // The CV's download link.
  const cvLink = school.locator('#section-documents').getByRole('link', { name: 'Ada Applicant CV.pdf' })
  assert.equal(await cvLink.count(), 1, 'no download link for the CV')
  const href = await cvLink.getAttribute('href')
  assert.match(href, new RegExp(`^/school/applications/${appId}/documents/\\d+$`))
  const download = await school.request.get(`${BASE}${href}`)
  assert.equal(download.status(), 200)
  assert.match(download.headers()['content-disposition'], /^attachment/)
  assert.deepEqual(await download.body(), cv)

  // Shortlist, then invite to interview.
  response = await press(school, 'Shortlist')
  assert.equal(response.status(), 200)
  assert.match(await school.locator('.govuk-notification-banner').textContent(), /shortlisted/)
  assert.equal((await school.locator('main dl .govuk-tag').first().textContent()).trim(), 'Shortlisted')
  await expectAccessible(school, 'the shortlisted application with the interview form')
  await waitForMail(candidateEmail, `You have been shortlisted for ${title}`)
  const [day, mon, year] = dateIn(14)
  await school.locator('#interview_date-day').fill(day)
  await school.locator('#interview_date-month').fill(mon)
  await school.locator('#interview_date-year').fill(year)
  await school.getByLabel('Start time').fill('10:30')
  await school.getByLabel('How long it lasts, in minutes').fill('90')
  await school.getByLabel('Where', { exact: true }).fill('Grays Convent High School, College Avenue, Grays RM17 5UX. Ask at reception.')
  await school.getByLabel('Interview panel (optional)').fill('The headteacher and the head of mathematics')
  response = await press(school, 'Invite and email the candidate')
  assert.equal(response.status(), 200)
  assert.equal(new URL(school.url()).pathname, `/school/applications/${appId}`)
  assert.equal((await school.locator('main dl .govuk-tag').first().textContent()).trim(), 'Interviewing')
  assert.match(await school.locator('#interview-arranged + dl').textContent(), /Ask at reception/)
  await expectAccessible(school, 'the application with its interview')
  await school.context().close()

  // The invitation: an email with the interview as an iCalendar attachment.
  const invitation = await waitForMail(candidateEmail, `Invitation to interview: ${title}`)
  assert.match(invitation.body, /Content-Type: text\/calendar/)
  const ics = attachment(invitation.body, 'text/calendar')
  assert.ok(ics, 'the invitation has no text/calendar part')
  assert.match(ics, /^BEGIN:VCALENDAR\r?\n/)
  assert.match(ics, /METHOD:REQUEST/)
  // 10:30 in London is 09:30 or 10:30 UTC, the same day.
  assert.match(ics, new RegExp(`\\r\\nDTSTART:${year}${mon.padStart(2, '0')}${day.padStart(2, '0')}T(0930|1030)00Z\\r\\n`))

  // ---- the candidate sees the new status ----
  response = await cand.goto(`${BASE}/account/applications`)
  assert.equal(response.status(), 200)
  assert.equal((await sentRow.locator('.govuk-tag').textContent()).trim(), 'Interviewing')
  await expectAccessible(cand, 'your applications, interviewing')
  response = await follow(cand, title)
  assert.equal(response.status(), 200)
  assert.equal((await cand.locator('#status .govuk-tag').textContent()).trim(), 'Interviewing')
  await expectAccessible(cand, 'your application, interviewing')
  await cand.context().close()
})

test('a visitor signs in from a job to save it, finds it in their saved jobs and removes it; their job alerts', async () => {
  const title = `Teacher of mathematics ${uniqueWord()}`
  const vacancyId = liveVacancy(SCHOOL, title)
  const candidateEmail = userAdd('saver', 'candidate', 'Sam Saver')
  const page = await newPage(browser)

  // A visitor is asked to sign in, and comes back to the job.
  let response = await page.goto(`${BASE}/vacancies/${vacancyId}`)
  assert.equal(response.status(), 200)
  psql("DELETE FROM rate_limits WHERE key LIKE 'login:addr:%'")
  response = await follow(page, 'Sign in to save this job')
  assert.equal(new URL(page.url()).pathname, '/account/login')
  await page.getByLabel('Email address').fill(candidateEmail)
  await page.getByLabel('Password', { exact: true }).fill(PASSWORD)
  response = await press(page, 'Sign in')
  assert.equal(response.status(), 200)
  assert.equal(new URL(page.url()).pathname, `/vacancies/${vacancyId}`)

  // Saved: the page says so.
  response = await press(page, 'Save this job')
  assert.equal(response.status(), 200)
  assert.equal(new URL(page.url()).pathname, `/vacancies/${vacancyId}`)
  assert.match(await page.locator('main').textContent(), /You have saved this job\./)
  await expectAccessible(page, 'a saved job')

  // The list has it, under the navigation's "Saved jobs".
  response = await follow(page, 'See your saved jobs')
  assert.equal(response.status(), 200)
  assert.equal(new URL(page.url()).pathname, '/account/saved-jobs')
  assert.equal((await page.locator('h1').textContent()).trim(), 'Saved jobs')
  assert.equal(await page.locator('nav [aria-current="page"]').textContent(), 'Saved jobs')
  await page.locator('main').getByRole('link', { name: title, exact: true }).waitFor()
  await expectAccessible(page, 'saved jobs')

  // Removed: a banner, and the empty list.
  response = await press(page, `Remove ${title} from your saved jobs`)
  assert.equal(response.status(), 200)
  assert.match(await page.locator('.govuk-notification-banner').textContent(),
    /The job has been removed from your saved jobs/)
  assert.match(await page.locator('main').textContent(), /You have no saved jobs\./)
  await expectAccessible(page, 'saved jobs, none')

  // The account's job alerts, with one alert of the address.
  psql(`INSERT INTO job_alerts (email, search, frequency) VALUES (:'email', 'q=physics', 'weekly')`,
    { email: candidateEmail })
  response = await page.goto(`${BASE}/account/job-alerts`)
  assert.equal(response.status(), 200)
  assert.match(await page.locator('main').textContent(), /Job alert 1/)
  await expectAccessible(page, 'job alerts')
  response = await press(page, 'Email me daily instead for job alert 1')
  assert.equal(response.status(), 200)
  assert.match(await page.locator('.govuk-notification-banner').textContent(),
    /How often you get the job alert has been changed/)
  assert.match(await page.locator('main').textContent(), /Daily/)
  await expectAccessible(page, 'job alerts, one changed')
  await page.context().close()
})
