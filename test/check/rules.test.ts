import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CHECK_RULES, getConfigurableRuleIds } from '../../src/check/index.js';
import { checkFolder, toExpectedFinding, type ExpectedFinding } from '../helpers/check-folder.js';

/**
 * One fixture repository per rule, fixtures/check/<rule>/, with code that must give a finding and code that must not;
 * its expected.json lists every finding of that rule (and only those: anything else the rule reports fails the test).
 */
const FIXTURES = path.resolve(import.meta.dirname, '../../fixtures/check');
const REPO = path.resolve(import.meta.dirname, '../..');

interface RuleFixture {
  description: string;
  findings: ExpectedFinding[];
}

describe('check rules on their fixture repositories', () => {
  for (const rule of CHECK_RULES) {
    const dir = path.join(FIXTURES, rule.id);
    const expectedFile = path.join(dir, 'expected.json');
    if (!existsSync(expectedFile)) {
      it(`${rule.id} has a fixture`, () => expect(existsSync(expectedFile), expectedFile).toBe(true));
      continue;
    }
    const expected = JSON.parse(readFileSync(expectedFile, 'utf8')) as RuleFixture;
    it(`${rule.id}: ${expected.description}`, async () => {
      const result = await checkFolder(dir);
      const own = result.findings.filter((finding) => finding.rule === rule.id || finding.rule.startsWith(`${rule.id}/`));
      expect(own.map(toExpectedFinding)).toEqual(expected.findings);
      expect(expected.findings.length).toBeGreaterThan(0);
    });
  }
});

describe('every rule is documented and configurable (kept in step)', () => {
  const schema = JSON.parse(readFileSync(path.join(REPO, 'schema/check-config.schema.json'), 'utf8')) as { properties: { rules: { properties: Record<string, unknown> } } };

  it('the rule files, the one list, the docs pages and the fixture folders name the same rules', () => {
    const ids = CHECK_RULES.map((rule) => rule.id).sort();
    const files = readdirSync(path.join(REPO, 'src/check/rules')).map((file) => file.replace(/\.ts$/, '')).sort();
    const pages = readdirSync(path.join(REPO, 'docs/rules')).map((file) => file.replace(/\.md$/, '')).sort();
    const fixtures = readdirSync(FIXTURES, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
    expect(files).toEqual(ids);
    expect(pages).toEqual(ids);
    expect(fixtures).toEqual(ids);
  });

  it('the configuration schema lists every configurable rule id, and no other', () => {
    expect(Object.keys(schema.properties.rules.properties).sort()).toEqual(getConfigurableRuleIds().sort());
  });

  for (const rule of CHECK_RULES) {
    it(`${rule.id}: its page states the id, severity, rationale and fix, and every sub-rule`, () => {
      const page = readFileSync(path.join(REPO, 'docs/rules', `${rule.id}.md`), 'utf8');
      expect(page).toMatch(new RegExp(`^# ${rule.id}\\n`));
      expect(page).toContain(`Default severity: **${rule.defaultSeverity}**`);
      expect(page).toContain(rule.rationale);
      for (const sub of rule.subRules ?? []) expect(page).toContain(`## ${sub.id}`);
    });
  }
});
