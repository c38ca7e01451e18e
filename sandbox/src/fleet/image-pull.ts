// Which images the simulated spokes can pull. Everything is pullable unless a test says otherwise, so that
// "image missing from the registry" can be staged without a registry.

export interface PullRule {
  /** an exact image reference, or a glob where `*` matches any run of characters */
  pattern: string;
  pullable: boolean;
}

function globToRegExp(pattern: string): RegExp {
  const escaped = pattern.split('*').map((part) => part.replace(/[.+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${escaped.join('.*')}$`);
}

export class ImagePullRules {
  private rules: (PullRule & { re: RegExp })[] = [];

  /** The latest rule that matches an image decides; setting a pattern again replaces its rule. */
  set(pattern: string, pullable: boolean): void {
    if (pattern.trim() === '') throw new Error('image pattern must not be empty');
    this.rules = this.rules.filter((r) => r.pattern !== pattern);
    this.rules.push({ pattern, pullable, re: globToRegExp(pattern) });
  }

  isPullable(image: string): boolean {
    for (let i = this.rules.length - 1; i >= 0; i--) {
      const rule = this.rules[i] as PullRule & { re: RegExp };
      if (rule.re.test(image)) return rule.pullable;
    }
    return true;
  }

  list(): PullRule[] {
    return this.rules.map(({ pattern, pullable }) => ({ pattern, pullable }));
  }
}
