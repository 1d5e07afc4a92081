// Appended to GOV.UK Frontend's ES module bundle (govuk-frontend.min.js) by frontend/assets.mk, so
// `initAll` below is the bundle's own. The page works fully without this file: it marks the body
// so that the enhanced styles apply, starts the components (skip link, menu toggle) and folds the
// job search's filters behind a button on a phone. Module scripts run after parsing and only in
// browsers that GOV.UK Frontend supports.
{
  document.body.classList.add('js-enabled', 'govuk-frontend-supported')
  initAll()

  // The job search's filters (about forty choices) come before the results: on a phone they
  // fold behind "Show filters (N selected)"; from tablet width up the stylesheet shows them and
  // hides the button (_vacancies.scss).
  for (const options of document.querySelectorAll('.app-job-filter__options')) {
    const chosen = options.querySelectorAll('input:checked').length +
      [...options.querySelectorAll('select')].filter((select) => select.value !== '').length
    const button = document.createElement('button')
    const show = (open) => {
      options.classList.toggle('app-job-filter__options--folded', !open)
      button.setAttribute('aria-expanded', String(open))
      button.textContent = `${open ? 'Hide' : 'Show'} filters${chosen > 0 ? ` (${chosen} selected)` : ''}`
    }
    button.type = 'button'
    button.className = 'govuk-button govuk-button--secondary app-job-filter__toggle'
    button.setAttribute('aria-controls', options.id)
    button.addEventListener('click', () => show(button.getAttribute('aria-expanded') !== 'true'))
    options.before(button)
    show(false)
  }

  // Signed-in sessions end after a while without a request (30 minutes for school staff and HR,
  // 2 hours for candidates: core/session.c), and writing a job description or a personal
  // statement can take longer than that without sending anything. While the person is typing
  // in a form, the page asks /account/keepalive every five minutes (each request refreshes the
  // session), so the form is still accepted when it is sent. If the session has ended all the
  // same, a warning above the page says so. After a long pause (the session ran out) the form
  // is kept when it is sent, until its person signs in again (core/kept_form.c): the answer
  // says whether it will be, for the form typed in. Otherwise (signed out in another tab) the
  // warning says to copy the text before it is lost, then sign in again.
  if (document.body.hasAttribute('data-signed-in')) {
    let typedIn = null
    let warned = false
    document.addEventListener('input', (event) => { typedIn = event.target.form || document.forms[0] || null })
    setInterval(async () => {
      if (typedIn === null || warned) return
      const action = new URL(typedIn.getAttribute('action') || location.pathname, location.href).pathname
      typedIn = null
      let response
      try {
        response = await fetch(`/account/keepalive?form=${encodeURIComponent(action)}`,
          { credentials: 'same-origin', cache: 'no-store' })
      } catch {
        return // offline for a moment: the next five minutes will tell
      }
      if (response.status !== 401) return
      let kept = false
      try {
        kept = (await response.json()).form_kept === true
      } catch {}
      warned = true
      const warning = document.createElement('div')
      warning.className = 'govuk-warning-text'
      warning.setAttribute('role', 'alert')
      warning.innerHTML = '<span class="govuk-warning-text__icon" aria-hidden="true">!</span>' +
        '<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span>' +
        (kept
          ? 'You have been signed out because nothing was sent for a while. Send this page when ' +
            'you are ready: you will be asked to sign in again, and what you have written will ' +
            'be kept.'
          : 'You have been signed out, so this page cannot be sent. Copy anything you have ' +
            'written before you <a class="govuk-link" target="_blank" rel="noopener" ' +
            'href="/account/login">sign in again (opens in a new tab)</a>, then paste it back.') +
        '</strong>'
      document.querySelector('main')?.prepend(warning)
    }, 5 * 60 * 1000)
  }
}
