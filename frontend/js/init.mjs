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
}
