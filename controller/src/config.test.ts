import {
  checkLeaderElection,
  formatDuration,
  parseBoolean,
  parseDuration,
  parseHostPort,
  parseLogLevel,
  parseNamespace,
  parsePositiveInt,
  type LeaderElectionConfig,
} from './config';

describe('config parsers', () => {
  it('parses durations with one unit and formats them back', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('15s')).toBe(15_000);
    expect(parseDuration('1.5s')).toBe(1500);
    expect(parseDuration('10m')).toBe(600_000);
    expect(parseDuration('1h')).toBe(3_600_000);
    expect(() => parseDuration('15')).toThrow('"15" is not a duration: use a number with a unit');
    expect(formatDuration(15_000)).toBe('15s');
    expect(formatDuration(600_000)).toBe('10m');
    expect(formatDuration(1500)).toBe('1500ms');
  });

  it("parses Go's compound durations and every unit of time.ParseDuration", () => {
    expect(parseDuration('1m30s')).toBe(90_000);
    expect(parseDuration('1h2m3.5s')).toBe(3_723_500);
    expect(parseDuration('2h45m')).toBe(9_900_000);
    expect(parseDuration('1.5h')).toBe(5_400_000);
    expect(parseDuration('.5s')).toBe(500);
    expect(parseDuration('1s500ms')).toBe(1500);
    expect(parseDuration('1500000us')).toBe(1500);
    expect(parseDuration('1500000µs')).toBe(1500); // U+00B5 MICRO SIGN
    expect(parseDuration('1500000μs')).toBe(1500); // U+03BC GREEK SMALL LETTER MU
    expect(parseDuration('2000000000ns')).toBe(2000);
    expect(parseDuration('2us')).toBe(0); // rounded to the millisecond
    expect(parseDuration('0')).toBe(0);
    expect(parseDuration('+5s')).toBe(5000);
  });

  it('refuses what Go refuses, and negative durations, saying what it expected', () => {
    for (const bad of ['', 's', '1', '1m30', '1.2.3s', '1 m', 'm1s', '.s', 'abc', '1d']) {
      expect(() => parseDuration(bad)).toThrow(
        `"${bad}" is not a duration: ${bad === '1d' || bad === '1 m' ? 'unknown unit' : 'use a number with a unit'}`,
      );
    }
    expect(() => parseDuration('1x')).toThrow(
      '"1x" is not a duration: unknown unit "x"; use a number with a unit, e.g. 500ms, 15s, 1m30s or 1h2m3.5s (units: ns, us, ms, s, m, h)',
    );
    expect(() => parseDuration('-5s')).toThrow('"-5s" is not a duration: it must not be negative');
  });

  it('parses positive integers, booleans, log levels and namespaces, naming what it wanted', () => {
    expect(parsePositiveInt('8')).toBe(8);
    expect(() => parsePositiveInt('0')).toThrow('"0" is not a positive integer');
    expect(() => parsePositiveInt('2.5')).toThrow(/positive integer/);
    expect(parseBoolean('false')).toBe(false);
    expect(parseBoolean('TRUE')).toBe(true);
    expect(() => parseBoolean('maybe')).toThrow('use true or false');
    expect(parseLogLevel('Debug')).toBe('debug');
    expect(() => parseLogLevel('loud')).toThrow(/use one of fatal, error/);
    expect(parseNamespace('kmm-hub')).toBe('kmm-hub');
    expect(() => parseNamespace('KMM')).toThrow(/not a namespace name/);
  });

  it('parses listen addresses', () => {
    expect(parseHostPort('127.0.0.1:0')).toEqual({ host: '127.0.0.1', port: 0 });
    expect(parseHostPort(':8081')).toEqual({ host: '0.0.0.0', port: 8081 });
    expect(parseHostPort('[::1]:9000')).toEqual({ host: '::1', port: 9000 });
    expect(() => parseHostPort('8081')).toThrow(/use host:port/);
    expect(() => parseHostPort('a:70000')).toThrow(/not an address/);
  });

  it('checks the leader election timings as client-go does', () => {
    const le: LeaderElectionConfig = {
      enabled: true,
      leaseName: 'x',
      namespace: 'ns',
      identity: 'me',
      leaseDurationMs: 15_000,
      renewDeadlineMs: 10_000,
      retryPeriodMs: 2000,
    };
    expect(() => checkLeaderElection(le)).not.toThrow();
    expect(() => checkLeaderElection({ ...le, renewDeadlineMs: 15_000 })).toThrow(
      '--leader-election-lease-duration (15s) must be greater than --leader-election-renew-deadline (15s)',
    );
    expect(() => checkLeaderElection({ ...le, retryPeriodMs: 10_000 })).toThrow(
      /renew-deadline \(10s\) must be greater/,
    );
    expect(() =>
      checkLeaderElection({
        ...le,
        leaseDurationMs: 900,
        renewDeadlineMs: 500,
        retryPeriodMs: 100,
      }),
    ).toThrow(/at least 1s/);
    expect(() =>
      checkLeaderElection({ ...le, enabled: false, renewDeadlineMs: 99_000 }),
    ).not.toThrow();
  });
});
