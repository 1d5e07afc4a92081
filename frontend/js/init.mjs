// Appended to GOV.UK Frontend's ES module bundle (govuk-frontend.min.js) by frontend/assets.mk, so
// `initAll` below is the bundle's own. The page works fully without this file: it only marks the
// body so that the enhanced styles apply, then starts the components (skip link, menu toggle).
// Module scripts run after parsing and only in browsers that GOV.UK Frontend supports.
{
  document.body.classList.add('js-enabled', 'govuk-frontend-supported')
  initAll()
}
