import * as pages from '../../../src/verifier/pages';

const who = { name: '<img src=x onerror=alert(1)>', teamName: 'Acme & "Co"' };

describe('verifier pages', () => {
  const all: [string, pages.VerifierPage][] = [
    ['connected', pages.connectedPage()],
    ['incomplete', pages.incompleteLinkPage()],
    ['tampered', pages.tamperedPage()],
    ['expired sign-in', pages.expiredSignInPage(10)],
    ['already used', pages.alreadyUsedPage()],
    ['other browser', pages.otherBrowserPage()],
    ['cancelled', pages.cancelledPage()],
    ['slack failed', pages.slackSignInFailedPage('abcd1234')],
    ['unproven', pages.identityUnprovenPage(who)],
    ['not yours', pages.notYourLinkPage(who)],
    ["someone else's", pages.someoneElsesLinkPage(who)],
    ['link expired', pages.linkExpiredPage()],
    ['misconfigured', pages.misconfiguredPage('abcd1234')],
    ['unavailable', pages.unavailablePage('abcd1234')],
    ['unexpected', pages.unexpectedPage('abcd1234')],
  ];

  it.each(all)('the %s page says what to do next', (_name, page) => {
    const text = page.paragraphs.join(' ');
    expect(text).toMatch(/\/inbox|Slack admin|close this tab|check Slack/);
  });

  it.each(all)('the %s page renders as escaped HTML', (_name, page) => {
    const html = pages.renderPage(page);
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).not.toContain('<img');
    expect(html).not.toContain('"Co"');
  });

  it('names who signed in, escaped', () => {
    const html = pages.renderPage(pages.someoneElsesLinkPage(who));
    expect(html).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(html).toContain('Acme &#38; &#34;Co&#34; workspace');
  });

  it('only the success and cancel pages answer 200', () => {
    const ok = all.filter(([, page]) => page.status === 200).map(([name]) => name);
    expect(ok.sort()).toEqual(['cancelled', 'connected']);
  });
});
