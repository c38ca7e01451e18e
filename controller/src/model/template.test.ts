import {
  TEMPLATE_VARIABLES,
  normalizeKernelVersion,
  parseTemplate,
  substitute,
  templateProblem,
  templateValues,
} from './template';

const rhcos = templateValues('5.14.0-427.13.1.el9_4.x86_64+rt', 'acme', 'acme-ns');
const sub = (s: string, tv = rhcos) => substitute(s, tv);

describe('template variables', () => {
  it('is the exact upstream set', () => {
    expect([...TEMPLATE_VARIABLES].sort()).toEqual([
      'KERNEL_FULL_VERSION',
      'KERNEL_VERSION',
      'KERNEL_X',
      'KERNEL_XYZ',
      'KERNEL_Y',
      'KERNEL_Z',
      'MOD_NAME',
      'MOD_NAMESPACE',
    ]);
  });

  it('normalises the kernel: characters outside [A-Za-z0-9._-] become _', () => {
    expect(normalizeKernelVersion('5.14.0-427.el9+rt/x y')).toBe('5.14.0-427.el9_rt_x_y');
  });

  it('gives every variable its value for an RHCOS kernel', () => {
    expect(rhcos.values).toEqual({
      KERNEL_FULL_VERSION: '5.14.0-427.13.1.el9_4.x86_64_rt',
      KERNEL_VERSION: '5.14.0-427.13.1.el9_4.x86_64_rt',
      KERNEL_XYZ: '5.14.0',
      KERNEL_X: '5',
      KERNEL_Y: '14',
      KERNEL_Z: '0',
      MOD_NAME: 'acme',
      MOD_NAMESPACE: 'acme-ns',
    });
    expect(rhcos.componentsError).toBeUndefined();
  });

  it('splits components on "-" too', () => {
    expect(templateValues('6-1-2', 'm', 'n').values.KERNEL_XYZ).toBe('6.1.2');
  });
});

describe('substitution', () => {
  it('replaces $VAR and ${VAR}', () => {
    expect(sub('q.io/m:$KERNEL_X.${KERNEL_Y}-${MOD_NAME}_$MOD_NAMESPACE')).toEqual({
      ok: true,
      value: 'q.io/m:5.14-acme_acme-ns',
    });
  });

  it('takes the longest name after $ (so $KERNEL_XYZ is not $KERNEL_X + "YZ")', () => {
    expect(sub('$KERNEL_XYZ')).toEqual({ ok: true, value: '5.14.0' });
  });

  it('keeps $$ as a literal $ and a lone $ as itself', () => {
    expect(sub('a$$KERNEL_X b$ c$-')).toEqual({ ok: true, value: 'a$KERNEL_X b$ c$-' });
  });

  it('supports the envsubst default and alternative forms', () => {
    expect(
      sub('${KERNEL_X:-9}/${KERNEL_X-9}/${KERNEL_X:+alt}/${KERNEL_X+alt}/${MOD_NAME:=x}'),
    ).toEqual({
      ok: true,
      value: '5/5/alt/alt/acme',
    });
    const empty = templateValues('5.14.', 'm', 'n'); // KERNEL_Z is set but empty
    expect(sub('${KERNEL_Z:-none}|${KERNEL_Z-none}|${KERNEL_Z:-$KERNEL_X}', empty)).toEqual({
      ok: true,
      value: 'none||5',
    });
  });

  it('rejects a malformed template: an unclosed ${', () => {
    const r = sub('quay.io/m:${KERNEL_XYZ');
    expect(r.ok).toBe(false);
    expect(!r.ok && r.error).toMatch(/"\$\{KERNEL_XYZ" has no closing "}"/);
  });

  it('rejects other malformed forms', () => {
    expect(templateProblem('${}')).toMatch(/must be followed by a variable name/);
    expect(templateProblem('${KERNEL_X?x}')).toMatch(/unexpected "\?"/);
    expect(templateProblem('${KERNEL_X:-x')).toMatch(/no closing/);
    expect(templateProblem('${KERNEL_X\n}')).toMatch(/no closing/);
  });

  it('rejects unknown variables, naming them and the known set (kmm-hub: upstream substitutes "")', () => {
    expect(templateProblem('q.io/m:${KERNEL_VERISON}')).toMatch(
      /unknown template variable \$KERNEL_VERISON; the variables are KERNEL_FULL_VERSION, .*MOD_NAMESPACE/,
    );
    expect(sub('$HOME').ok).toBe(false);
  });

  it('fails a kernel with fewer than three components only when a component variable is used', () => {
    const short = templateValues('5.14', 'm', 'n');
    expect(short.componentsError).toMatch(/"5.14" has fewer than three components/);
    expect(sub('q.io/m:${KERNEL_FULL_VERSION}', short)).toEqual({ ok: true, value: 'q.io/m:5.14' });
    for (const v of ['KERNEL_XYZ', 'KERNEL_X', 'KERNEL_Y', 'KERNEL_Z']) {
      expect(sub(`q.io/m:\${${v}}`, short)).toEqual({ ok: false, error: short.componentsError });
    }
    expect(sub('q.io/m:${KERNEL_X:-0}', short).ok).toBe(false);
  });

  it('leaves text without $ untouched and caches parses', () => {
    expect(sub('quay.io/acme/mod:v1')).toEqual({ ok: true, value: 'quay.io/acme/mod:v1' });
    expect(parseTemplate('$KERNEL_X')).toBe(parseTemplate('$KERNEL_X'));
  });

  it('treats $_ alone as text, as envsubst does', () => {
    expect(sub('a$_b')).toEqual({ ok: false, error: expect.stringMatching(/\$_b/) });
    expect(sub('a$_-b')).toEqual({ ok: true, value: 'a$_-b' });
  });
});
