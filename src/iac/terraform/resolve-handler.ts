import { posix } from 'node:path';
import type { HandlerRef } from '../../types/inventory.js';
import { splitHandler } from '../cfn-template.js';
import { evaluateRaw } from './evaluate.js';
import type { InventoryBuilder } from './inventory-builder.js';
import type { ModuleInstance, ResourceInstance } from './module-instance.js';
import { FileRef, Sym, isMap, toText, type TfValue } from './values.js';

/**
 * Where the code of an `aws_lambda_function` is, as a module path for `resolveHandlerFiles`:
 * - `filename` (or `source_code_hash`) from a `data "archive_file"`: the archive's `source_dir`, or the folder of
 *   its `source_file`, joined with the handler's module part (`index.handler` → `<source_dir>/index`);
 * - a zip we cannot trace (`build/orders.zip`): `build/orders/<module>`, which `resolveHandlerFiles` maps back to
 *   `src/orders/...` or finds by file name;
 * - S3 packages (`s3_bucket`): the handler's module part alone, found by file name if it is unique.
 * Container images have no handler.
 */
export function resolveLambdaHandler(instance: ResourceInstance, builder: InventoryBuilder): HandlerRef | undefined {
  const { body } = instance.config;
  const module = instance.module;
  const value = (name: string) => (body[name] === undefined ? undefined : evaluateRaw(body[name], instance.scope));
  if (toText(value('package_type')) === 'Image' || body.image_uri !== undefined) return undefined;
  const raw = toText(value('handler'));
  if (raw === undefined) return undefined;
  const filename = value('filename');
  const archive = findArchive(filename, module, builder) ?? findArchive(value('source_code_hash'), module, builder);
  let codeDir: string | undefined;
  if (archive) codeDir = getArchiveSourceDir(archive);
  else {
    const zip = toText(filename) ?? (filename instanceof FileRef ? filename.path : undefined);
    if (zip !== undefined) {
      const path = module.toRootPath(zip);
      codeDir = path === undefined ? undefined : path.replace(/\.(zip|jar)$/, '');
    }
  }
  return toHandlerRef(raw, codeDir ?? module.rootDir, archive === undefined && codeDir !== undefined);
}

/** `source_path` of `terraform-aws-modules/lambda/aws`: a folder or file, a list of them, or `{ path = ... }` objects. */
export function resolveModuleHandler(raw: string | undefined, sourcePath: TfValue | undefined, module: ModuleInstance): HandlerRef | undefined {
  if (raw === undefined) return undefined;
  const first = Array.isArray(sourcePath) ? sourcePath[0] : sourcePath;
  const path = toText(isMap(first) ? first.get('path') : first);
  const dir = path === undefined ? undefined : module.toRootPath(path);
  // A zip (`filename` of a module of one's own) stands for the folder of the same name; a file for its folder.
  const codeDir = dir === undefined ? undefined : /\.(zip|jar)$/.test(dir) ? dir.replace(/\.(zip|jar)$/, '') : module.context.root.exists(dir) ? posix.dirname(dir) : dir;
  return toHandlerRef(raw, codeDir ?? module.rootDir, false);
}

function toHandlerRef(raw: string, codeDir: string, fromZipName: boolean): HandlerRef | undefined {
  const split = splitHandler(raw);
  if (!split) return undefined;
  // A zip named after its only module (`orders.zip` with `orders.handler`) holds that module at its top.
  const dir = fromZipName && posix.basename(codeDir) === split.module ? posix.dirname(codeDir) : codeDir;
  const module = posix.normalize(posix.join(dir, split.module));
  if (module === '..' || module.startsWith('../')) return undefined;
  return { raw, module, export: split.export };
}

/** The `data "archive_file"` a zip path or hash comes from: by reference, or by the same `output_path`. */
function findArchive(value: TfValue | undefined, module: ModuleInstance, builder: InventoryBuilder): ResourceInstance | undefined {
  if (value === undefined) return undefined;
  const referenced = value instanceof Sym ? value.parts.find((part) => part.kind === 'attr') : undefined;
  const archives = builder.getInstances('archive_file', 'data').filter((archive) => archive.module === module);
  if (referenced?.kind === 'attr') return archives.find((archive) => archive.address === referenced.address);
  const path = toText(value) ?? (value instanceof FileRef ? value.path : undefined);
  if (path === undefined) return undefined;
  const wanted = module.toRootPath(path);
  return archives.find((archive) => {
    const output = toText(module.evaluateArgument(archive, 'output_path'));
    return output !== undefined && module.toRootPath(output) === wanted;
  });
}

function getArchiveSourceDir(archive: ResourceInstance): string | undefined {
  const module = archive.module;
  const dir = toText(module.evaluateArgument(archive, 'source_dir'));
  if (dir !== undefined) return module.toRootPath(dir);
  const file = toText(module.evaluateArgument(archive, 'source_file'));
  const path = file === undefined ? undefined : module.toRootPath(file);
  return path === undefined ? undefined : posix.dirname(path);
}
