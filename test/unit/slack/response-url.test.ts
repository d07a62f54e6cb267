import { responseUrlCheck } from '../../../src/slack/response-url';

describe('responseUrlCheck (issue 10, item 8)', () => {
  it("allows Slack's hooks host and the SLACK_API_URL origin only", () => {
    const slack = responseUrlCheck('https://slack.com/api/');
    expect(slack('https://hooks.slack.com/commands/T1/2/abc')).toBe(true);
    expect(slack('https://slack.com/commands/x')).toBe(true);
    for (const url of [
      'http://hooks.slack.com/commands/x',
      'https://hooks.slack.com.evil.example/x',
      'https://evil.example/hooks.slack.com',
      'https://user:pw@hooks.slack.com/x',
      'https://hooks.slack-gov.com/x',
      'not a url',
    ])
      expect(slack(url)).toBe(false);
  });

  it('allows GovSlack hooks with a GovSlack API URL, and a stand-in origin in tests', () => {
    expect(responseUrlCheck('https://slack-gov.com/api/')('https://hooks.slack-gov.com/commands/x')).toBe(
      true,
    );
    const standIn = responseUrlCheck('http://127.0.0.1:4100/api/');
    expect(standIn('http://127.0.0.1:4100/commands/1')).toBe(true);
    expect(standIn('http://127.0.0.1:4101/commands/1')).toBe(false);
  });
});
