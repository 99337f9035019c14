import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config';

describe('loadConfig', () => {
  it('gives a laptop the embedded defaults when nothing is set', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DATA_DIR).toBe('./.data');
    expect(config.TEMPORAL_ADDRESS).toBeUndefined();
    expect(config.SMTP_URL).toBeUndefined();
    expect(config.SEED_ON_START).toBe(true);
    expect(config.RECONCILE_SCHEDULE).toBe('*/5 * * * *');
    expect(config.PUBLIC_BASE_URL).toBe('http://localhost:3000');
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig({ DATABASE_URL: '', PORT: '' }).PORT).toBe(3000);
  });

  it('reads and converts valid values', () => {
    const config = loadConfig({
      PORT: '8080',
      DATABASE_URL: 'postgresql://u:p@db:5432/gov',
      TEMPORAL_ADDRESS: 'temporal:7233',
      SMTP_URL: 'smtp://mail:25',
      SEED_ON_START: 'false',
      RECONCILE_SCHEDULE: '*/10 * * * * *',
    });
    expect(config).toMatchObject({
      PORT: 8080,
      TEMPORAL_ADDRESS: 'temporal:7233',
      SEED_ON_START: false,
      RECONCILE_SCHEDULE: '*/10 * * * * *',
    });
  });

  it.each([
    ['PORT', 'abc', /PORT="abc": atteso/],
    ['PORT', '70000', /PORT="70000"/],
    ['DATABASE_URL', 'mysql://x', /DATABASE_URL="mysql:\/\/x": atteso un URL postgres: o postgresql:/],
    ['TEMPORAL_ADDRESS', 'http://temporal', /TEMPORAL_ADDRESS=.*host:porta/],
    ['SMTP_URL', 'not a url', /SMTP_URL=.*smtp: o smtps:/],
    ['SEED_ON_START', 'maybe', /SEED_ON_START="maybe": atteso true o false/],
    ['MAIL_FROM', 'nobody', /MAIL_FROM=.*indirizzo e-mail/],
    ['RECONCILE_SCHEDULE', 'every hour', /RECONCILE_SCHEDULE="every hour": attesa una espressione cron/],
    ['TRUST_PROXY', 'true', /TRUST_PROXY="true": atteso un numero di proxy/],
    ['TRUST_PROXY', '10.0.0.300', /TRUST_PROXY=.*atteso un numero di proxy/],
    ['TRUST_PROXY', '10.0.0.0/33', /TRUST_PROXY=.*atteso un numero di proxy/],
  ])('rejects %s=%s naming the variable and what it expects', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(message);
  });

  it('reads TRUST_PROXY as a hop count or a list of proxy addresses', () => {
    expect(loadConfig({}).TRUST_PROXY).toBeUndefined();
    expect(loadConfig({ TRUST_PROXY: '1' }).TRUST_PROXY).toBe(1);
    expect(loadConfig({ TRUST_PROXY: '10.0.0.5, 10.0.1.0/24,::1' }).TRUST_PROXY).toBe(
      '10.0.0.5, 10.0.1.0/24,::1',
    );
  });

  it('lists every wrong variable at once', () => {
    try {
      loadConfig({ PORT: 'x', LOG_LEVEL: 'loud' });
      expect.unreachable();
    } catch (error) {
      expect((error as ConfigError).problems).toHaveLength(2);
    }
  });

  it('refuses production without SMTP_URL: the development mailbox would hold working sign-in links', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow(
      /SMTP_URL: obbligatorio con NODE_ENV=production/,
    );
    expect(loadConfig({ NODE_ENV: 'production', SMTP_URL: 'smtp://relay:587' }).SMTP_URL).toBe(
      'smtp://relay:587',
    );
  });

  it('wants all three OpenID Connect variables or none', () => {
    expect(() => loadConfig({ OIDC_ISSUER_URL: 'https://sso.example.org/realms/ambito' })).toThrow(
      /OIDC_ISSUER_URL, OIDC_CLIENT_ID, OIDC_CLIENT_SECRET/,
    );
    const config = loadConfig({
      OIDC_ISSUER_URL: 'https://sso.example.org/realms/ambito',
      OIDC_CLIENT_ID: 'governance',
      OIDC_CLIENT_SECRET: 'segreto',
    });
    expect(config.OIDC_CLIENT_ID).toBe('governance');
  });
});
