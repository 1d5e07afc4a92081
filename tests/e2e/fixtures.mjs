// What the browser tests set up outside the browser - users made the operator's way, rows
// straight in the test database - and signing in: shared by the test files.
import assert from 'node:assert/strict'
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { BASE } from './browser.mjs'

// The password of every user userAdd makes.
export const PASSWORD = 'Tilbury-fort-1670-bastion'

// A made-up word no other vacancy has (consonants only, so full-text search keeps it whole).
export function uniqueWord () {
  const letters = 'bcdfghjklmnpqrtvwxz'
  let n = Date.now() * 1000 + process.pid
  let word = 'zq'
  for (let i = 0; i < 10; i++) {
    word += letters[n % letters.length]
    n = Math.floor(n / letters.length) + i * 7
  }
  return word
}

// Runs sql (a script on standard input, psql variables from vars as :'name') against the test
// database (pg_virtualenv's PG* variables); returns the output, trimmed.
export function psql (sql, vars = {}) {
  const args = ['-X', '-A', '-t', '-q', '-v', 'ON_ERROR_STOP=1']
  for (const [name, value] of Object.entries(vars)) args.push('-v', `${name}=${value}`)
  return execFileSync('psql', args, { input: sql, encoding: 'utf8' }).trim()
}

// A user made with `portal user add` (the operator's way: the address counts as verified) with
// PASSWORD; extra are more options (--school ...). Returns the address.
export function userAdd (tag, role, name, extra = []) {
  const bin = process.env.PORTAL_BIN
  if (!bin) throw new Error('PORTAL_BIN is not set: run the browser tests through tests/e2e/run.sh')
  const email = `e2e-${tag}-${process.pid}-${Date.now()}@example.org`
  const dir = mkdtempSync(join(tmpdir(), 'portal-e2e-'))
  try {
    const file = join(dir, 'password')
    writeFileSync(file, `${PASSWORD}\n`, { mode: 0o600 })
    execFileSync(bin, ['user', 'add', '--email', email, '--role', role, '--name', name,
      '--password-file', file, ...extra], { stdio: 'pipe' })
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
  return email
}

// A hiring manager of school urn (userAdd); returns the address.
export function hiringManager (urn, name = 'Hattie Hiring') {
  return userAdd('hiring', 'school_staff', name,
    ['--school', String(urn), '--school-role', 'hiring_manager'])
}

// A live vacancy of school urn called title (a secondary mathematics teacher's job), published
// yesterday and closing after `closes` (an interval: '30 days'; '-1 minute' for one whose
// closing time has just passed, which the periodic job then closes). Made in the database: no
// form takes a closing time in the past. Returns its id.
export function liveVacancy (urn, title, closes = '30 days') {
  return Number(psql(`
    WITH v AS (
      INSERT INTO vacancies (school_urn, status, title, job_roles, phases, key_stages, subjects,
        contract_type, working_patterns, pay_scale, start_type, description, contact_email,
        publish_at, published_at, closes_at)
      VALUES (:'urn', 'published', :'title', '{teacher}', '{secondary}', '{ks3,ks4}',
        '{mathematics}', 'permanent', '{full_time}', 'mps', 'asap',
        'A mathematics department that plans together is looking for a colleague.',
        'jobs@example.org', now() - interval '1 day', now() - interval '1 day',
        now() + :'closes'::interval)
      RETURNING id, school_urn)
    INSERT INTO vacancy_schools (vacancy_id, school_urn) SELECT id, school_urn FROM v
    RETURNING vacancy_id`, { urn, title, closes }))
}

// Signs in as email (password PASSWORD unless given) through the sign-in page. Every browser
// test signs in from 127.0.0.1, and sign-ins are limited per address: as the integration
// harness's it_login does, the address's counter is cleared first.
export async function signIn (page, email, password = PASSWORD) {
  psql("DELETE FROM rate_limits WHERE key LIKE 'login:addr:%'")
  await page.goto(`${BASE}/account/login`)
  await page.getByLabel('Email address').fill(email)
  await page.getByLabel('Password', { exact: true }).fill(password)
  await Promise.all([
    page.waitForNavigation(),
    page.locator('main').getByRole('button', { name: 'Sign in' }).click()
  ])
  assert.notEqual(new URL(page.url()).pathname, '/account/login', `${email} could not sign in`)
}

// Clicks the (first) button or button-like link called name in main and waits for the next
// page; returns the response.
export async function press (page, name) {
  const [response] = await Promise.all([
    page.waitForNavigation(),
    page.locator('main').getByRole('button', { name, exact: true }).first().click()
  ])
  return response
}

// Today + days in the portal's time zone, as [day, month, year] strings (a GOV.UK date input).
export function dateIn (days) {
  const d = new Date(Date.now() + days * 86400000)
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', day: 'numeric', month: 'numeric', year: 'numeric'
  }).formatToParts(d)
  const get = (type) => parts.find((p) => p.type === type).value
  return [get('day'), get('month'), get('year')]
}
