import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { validateGraph } from '../../src/schema/validate-graph.js';
import { REPO, runCli } from '../helpers/run-cli.js';

const ORDERS = 'fixtures/apps/orders';
const UPDATE = process.env.UPDATE_GOLDEN === '1';

/** A golden file: compared, or rewritten with UPDATE_GOLDEN=1 (then review the diff). */
function expectGolden(file: string, actual: string): void {
  const target = path.join(REPO, file);
  if (UPDATE || !existsSync(target)) writeFileSync(target, actual);
  expect(actual).toBe(readFileSync(target, 'utf8'));
}

describe('lambda2sfn analyze', () => {
  it('prints the documented graph of the bundled example as JSON, valid against the schema', () => {
    const result = runCli(['analyze', ORDERS, '--format', 'json']);
    expect(result.code).toBe(0);
    const validation = validateGraph(JSON.parse(result.stdout));
    expect(validation.valid ? [] : validation.errors).toEqual([]);
    expectGolden(`${ORDERS}/graph.golden.json`, result.stdout);
  });

  it('gives byte-identical JSON for the same input', () => {
    const first = runCli(['analyze', ORDERS, '--format', 'json']).stdout;
    const second = runCli(['analyze', path.join(REPO, ORDERS), '--format', 'json']).stdout;
    expect(second).toBe(first);
  });

  it('prints text by default, with functions, edges and chains', () => {
    const result = runCli(['analyze', ORDERS]);
    expect(result.code).toBe(0);
    expectGolden(`${ORDERS}/graph.golden.txt`, result.stdout);
    expect(result.stdout).toContain('placeOrder ─invoke-sync→ validatePayment');
  });

  it('prints a Mermaid flowchart', () => {
    const result = runCli(['analyze', ORDERS, '--format', 'mermaid']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^---\ntitle: "orders"\n---\nflowchart LR\n/);
    expect(result.stdout).toContain('n_placeOrder -->|"invoke-sync"| n_validatePayment');
  });

  it('exits 1 when part of the input could not be analysed, and still prints the graph', () => {
    const result = runCli(['analyze', 'fixtures/analyzers/robustness/syntax-error-mid-file', '--format', 'json']);
    expect(result.code).toBe(1);
    const graph = JSON.parse(result.stdout);
    expect(graph.diagnostics[0]).toMatchObject({ code: 'parse-error', file: 'src/place-order.ts', line: 13 });
    expect(graph.edges.some((e: { to: string }) => e.to === 'charge')).toBe(true);
    expect(result.stderr).not.toMatch(/at .*\.js:\d+/);
  });

  it('exits 2 on usage errors, with a hint and no stack trace', () => {
    const missing = runCli(['analyze', 'no/such/folder']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no/such/folder: no such folder');
    const format = runCli(['analyze', ORDERS, '--format', 'xml']);
    expect(format.code).toBe(2);
    expect(format.stderr).toContain("argument 'xml' is invalid");
    expect(runCli(['frobnicate']).code).toBe(2);
  });

  it('writes to -o atomically and does not overwrite without --force', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'l2s-out-'));
    const out = path.join(dir, 'graph.json');
    expect(runCli(['analyze', ORDERS, '--format', 'json', '-o', out]).code).toBe(0);
    const written = readFileSync(out, 'utf8');
    expect(JSON.parse(written).nodes.length).toBeGreaterThan(5);
    const again = runCli(['analyze', ORDERS, '-o', out]);
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('already exists');
    expect(readFileSync(out, 'utf8')).toBe(written);
    expect(runCli(['analyze', ORDERS, '-o', out, '--force']).code).toBe(0);
    expect(readFileSync(out, 'utf8')).not.toBe(written);
  });

  it('exits 3 when the output cannot be written', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'l2s-out-'));
    const notAFolder = path.join(dir, 'file');
    writeFileSync(notAFolder, '');
    const result = runCli(['analyze', ORDERS, '-o', path.join(notAFolder, 'graph.json')]);
    expect(result.code).toBe(3);
    expect(result.stderr).toContain('could not write');
  });

  it('has --version and --help with examples on every command', () => {
    const version = runCli(['--version']);
    expect(version.code).toBe(0);
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const help = runCli(['analyze', '--help']);
    expect(help.code).toBe(0);
    expect(help.stdout).toContain('Examples:');
    expect(help.stdout).toContain('--format <format>');
  });
});
