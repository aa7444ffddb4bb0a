#!/usr/bin/env node
// Starts the SigV4-checking S3 test server (@20minutes/s3rver, pinned in package-lock.json)
// on loopback for tests and the demo.
//
//   node --openssl-legacy-provider tests/support/s3rver-launch.mjs --directory DIR --access-key K --secret-key S [--port N]
//
// Port 0 (the default) picks a free port. When the server accepts connections it prints
// one line `port=<N>` on stdout, so callers wait for that line instead of sleeping.
// Diagnostics go to stderr. SIGTERM/SIGINT close the server and exit 0.
//
// Two gaps of s3rver 5 are filled here, because teltubby's client depends on them and
// real S3/MinIO implement them (both run only after s3rver's own signature check):
//  - AbortMultipartUpload (DELETE /bucket/key?uploadId=...): s3rver answers 405
//    MethodNotAllowed; here it deletes the upload's parts and answers 204 (404 NoSuchUpload
//    when the upload does not exist).
//  - ListMultipartUploads (GET /bucket?uploads): s3rver answers 501 NotImplemented; here it
//    lists the uploads still open in the bucket (no pagination: test-sized buckets).
// The server's own access key pair (S3RVER/S3RVER) is revoked, so only the given key works.
//
// Run node with --openssl-legacy-provider: s3rver encrypts ListObjectsV2 continuation
// tokens with DES, which OpenSSL 3 (Debian's node links the system one) only offers in
// its legacy provider; without it every truncated listing fails with 500 InternalError.
import { createCipheriv } from 'node:crypto';
import { createRequire } from 'node:module';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';

const require = createRequire(import.meta.url);
const S3rver = require('@20minutes/s3rver');
const AWSAccount = require('@20minutes/s3rver/lib/models/account');
const S3Error = require('@20minutes/s3rver/lib/models/error');

const { values } = parseArgs({
  options: {
    directory: { type: 'string' },
    'access-key': { type: 'string' },
    'secret-key': { type: 'string' },
    port: { type: 'string', default: '0' },
    address: { type: 'string', default: '127.0.0.1' },
    verbose: { type: 'boolean', default: false },
  },
});

function usage(message) {
  process.stderr.write(`s3rver-launch: ${message}\n`);
  process.exit(2);
}
if (!values.directory) usage('--directory is required');
if (!values['access-key'] || !values['secret-key']) usage('--access-key and --secret-key are required');
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) usage(`bad --port ${values.port}`);

try {
  createCipheriv('des', Buffer.alloc(8), Buffer.alloc(8));
} catch {
  usage('DES is unavailable: run node with --openssl-legacy-provider (s3rver needs it for listing tokens)');
}

await fs.mkdir(values.directory, { recursive: true });

// Credentials: s3rver keeps a process-wide registry with one hard-coded pair.
AWSAccount.DUMMY_ACCOUNT.revokeAccessKey('S3RVER');
AWSAccount.DUMMY_ACCOUNT.createKeyPair(values['access-key'], values['secret-key']);

const server = new S3rver({
  address: values.address,
  port,
  directory: values.directory,
  silent: !values.verbose,
  // Virtual-host requests arrive as <bucket>.s3.localhost; see the report on why the
  // client's integration tests use path style (s3rver signs vhost paths differently).
  serviceEndpoint: 'localhost',
});

// Where s3rver's filesystem store keeps open multipart uploads: <dir>/<bucket>/._S3rver_uploads/<id>.
function uploadsDirectory(bucket) {
  return server.store.getResourcePath(bucket, undefined, 'uploads');
}

function xmlEscape(text) {
  return String(text).replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

async function abortMultipartUpload(ctx) {
  const uploadId = ctx.query.uploadId;
  if (!/^[0-9a-f]+$/.test(uploadId || '')) {
    throw new S3Error('NoSuchUpload', 'The specified upload does not exist.', { UploadId: uploadId });
  }
  const dir = path.join(uploadsDirectory(ctx.params.bucket), uploadId);
  try {
    await fs.access(dir);
  } catch {
    throw new S3Error('NoSuchUpload', 'The specified upload does not exist.', { UploadId: uploadId });
  }
  await fs.rm(dir, { recursive: true, force: true });
  ctx.status = 204;
  ctx.body = null;
}

async function listMultipartUploads(ctx) {
  const bucket = ctx.params.bucket;
  let ids = [];
  try {
    ids = await fs.readdir(uploadsDirectory(bucket));
  } catch {
    ids = [];
  }
  const uploads = [];
  for (const id of ids.sort()) {
    let key = '';
    try {
      key = (await fs.readFile(path.join(uploadsDirectory(bucket), id, 'key'))).toString();
    } catch {
      continue;
    }
    uploads.push(`<Upload><Key>${xmlEscape(key)}</Key><UploadId>${xmlEscape(id)}</UploadId></Upload>`);
  }
  ctx.status = 200;
  ctx.type = 'application/xml';
  ctx.body =
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<ListMultipartUploadsResult><Bucket>${xmlEscape(bucket)}</Bucket>` +
    `<IsTruncated>false</IsTruncated>${uploads.join('')}</ListMultipartUploadsResult>`;
}

// Runs in front of s3rver's router: let s3rver authenticate and route the request, and only
// when it refuses the two operations above as unsupported, perform them instead.
server.middleware.splice(server.middleware.length - 1, 0, async (ctx, next) => {
  try {
    await next();
  } catch (err) {
    const isAbort = ctx.method === 'DELETE' && 'uploadId' in ctx.query && err.code === 'MethodNotAllowed';
    const isListUploads =
      ctx.method === 'GET' && 'uploads' in ctx.query && !ctx.params?.key && err.code === 'NotImplemented';
    if (isAbort && ctx.params?.bucket && ctx.params?.key) return abortMultipartUpload(ctx);
    if (isListUploads && ctx.params?.bucket) return listMultipartUploads(ctx);
    throw err;
  }
});

const address = await server.run();
process.stdout.write(`port=${address.port}\n`);

let closing = false;
async function shutdown() {
  if (closing) return;
  closing = true;
  try {
    await server.close();
  } finally {
    process.exit(0);
  }
}
process.on('SIGTERM', shutdown);
process.on('SIGINT', shutdown);
