#include "functions/bootstraps.h"

namespace signoff::functions {

const std::string_view kNodeBootstrap = R"JS(
'use strict';
const http = require('http');
const path = require('path');
const fs = require('fs');
const url = require('url');

const [host, port] = process.env.AWS_LAMBDA_RUNTIME_API.split(':');
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const BASE = '/2018-06-01/runtime';

function request(method, p, body, headers) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(body);
    const h = Object.assign({}, headers || {});
    if (data) h['Content-Length'] = data.length;
    const req = http.request({ host, port, method, path: BASE + p, agent, headers: h }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode, headers: res.headers,
                                    body: Buffer.concat(chunks).toString() }));
    });
    req.on('error', reject);
    if (data) req.write(data);
    req.end();
  });
}

function errorJson(e, type) {
  const err = e instanceof Error ? e : new Error(String(e));
  return { errorType: type || err.name || 'Error', errorMessage: err.message,
           trace: (err.stack || '').split('\n') };
}

async function load() {
  const mod = process.env.SIGNOFF_HANDLER_MODULE;
  const fn = process.env.SIGNOFF_HANDLER_FUNCTION;
  if (!mod || !fn) {
    return [null, { errorType: 'Runtime.MalformedHandlerName',
                    errorMessage: 'Bad handler ' + process.env._HANDLER, trace: [] }];
  }
  const root = process.env.LAMBDA_TASK_ROOT;
  const base = path.resolve(root, mod);
  let m = null;
  try {
    if (fs.existsSync(base + '.mjs')) m = await import(url.pathToFileURL(base + '.mjs').href);
    else if (fs.existsSync(base + '.cjs')) m = require(base + '.cjs');
    else m = require(base);
  } catch (e) {
    if (e && e.code === 'MODULE_NOT_FOUND') {
      return [null, { errorType: 'Runtime.ImportModuleError',
                      errorMessage: "Error: Cannot find module '" + mod + "'", trace: [] }];
    }
    return [null, errorJson(e)];
  }
  let h = m;
  for (const part of fn.split('.')) h = h == null ? undefined : h[part];
  if (typeof h !== 'function') {
    return [null, { errorType: 'Runtime.HandlerNotFound',
                    errorMessage: mod + '.' + fn + ' is undefined or not exported', trace: [] }];
  }
  return [h, null];
}

async function main() {
  const [handler, initError] = await load();
  if (initError) {
    console.error(JSON.stringify(initError));
    await request('POST', '/init/error', JSON.stringify(initError),
                  { 'Lambda-Runtime-Function-Error-Type': initError.errorType });
    process.exit(1);
  }
  for (;;) {
    const next = await request('GET', '/invocation/next');
    if (next.status !== 200) process.exit(0);
    const id = next.headers['lambda-runtime-aws-request-id'];
    const deadline = Number(next.headers['lambda-runtime-deadline-ms'] || 0);
    const context = {
      awsRequestId: id,
      invokedFunctionArn: next.headers['lambda-runtime-invoked-function-arn'],
      functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
      functionVersion: process.env.AWS_LAMBDA_FUNCTION_VERSION,
      memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
      logGroupName: process.env.AWS_LAMBDA_LOG_GROUP_NAME,
      logStreamName: process.env.AWS_LAMBDA_LOG_STREAM_NAME,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      callbackWaitsForEmptyEventLoop: true,
    };
    let result;
    try {
      const event = next.body ? JSON.parse(next.body) : null;
      result = await new Promise((resolve, reject) => {
        const r = handler(event, context, (err, value) => (err ? reject(err) : resolve(value)));
        if (r && typeof r.then === 'function') r.then(resolve, reject);
        else if (handler.length < 3) resolve(r);
      });
    } catch (e) {
      const err = errorJson(e);
      console.error('ERROR\t' + err.errorType + ': ' + err.errorMessage);
      await request('POST', '/invocation/' + id + '/error', JSON.stringify(err),
                    { 'Lambda-Runtime-Function-Error-Type': err.errorType });
      continue;
    }
    const body = result === undefined ? 'null' : JSON.stringify(result);
    await request('POST', '/invocation/' + id + '/response', body);
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
)JS";

}  // namespace signoff::functions
