// Drives Marvel's embedded OpenWhisk platform with the official Apache OpenWhisk JS client
// (npm "openwhisk", pinned in package.json). Started by NpmConformanceTest, which passes:
//   WHISK_APIHOST  http://127.0.0.1:<port>
//   WHISK_AUTH     the platform's key, uuid:key
//   WHISK_JAR      path of a Java action jar
//   WHISK_MAIN     its main class
// Prints one line per check and "N passed, N failed" at the end; exits non-zero on a failure.
'use strict'

const assert = require('assert')
const fs = require('fs')
const openwhisk = require('openwhisk')

const apihost = process.env.WHISK_APIHOST
const apiKey = process.env.WHISK_AUTH
const code = fs.readFileSync(process.env.WHISK_JAR).toString('base64')
const main = process.env.WHISK_MAIN
const name = 'npm-probe'
const ow = openwhisk({ apihost, api_key: apiKey })

let passed = 0
let failed = 0

async function check (title, fn) {
  try {
    await fn()
    passed++
    console.log(`ok   ${title}`)
  } catch (e) {
    failed++
    console.log(`FAIL ${title}: ${e && e.stack ? e.stack : JSON.stringify(e)}`)
  }
}

async function rejection (promise) {
  try {
    await promise
  } catch (e) {
    return e
  }
  throw new Error('expected the call to be rejected')
}

async function awaitActivation (id) {
  for (let i = 0; i < 300; i++) {
    try {
      return await ow.activations.get({ name: id })
    } catch (e) {
      if (e.statusCode !== 404) throw e
      await new Promise(resolve => setTimeout(resolve, 100))
    }
  }
  throw new Error(`activation ${id} did not complete`)
}

async function run () {
  let activationId

  await check('create a Java action from a jar', async () => {
    const action = await ow.actions.create({
      name,
      action: { exec: { kind: 'java:8', code, main }, limits: { memory: 256, timeout: 60000 } }
    })
    assert.strictEqual(action.name, name)
    assert.strictEqual(action.version, '0.0.1')
    assert.strictEqual(action.exec.kind, 'java:8')
  })

  await check('get the action', async () => {
    const action = await ow.actions.get({ name })
    assert.strictEqual(action.exec.main, main)
    assert.strictEqual(action.exec.binary, true)
    assert.strictEqual(action.limits.memory, 256)
  })

  await check('list actions', async () => {
    const actions = await ow.actions.list()
    assert.ok(actions.some(a => a.name === name), JSON.stringify(actions))
  })

  await check('creating it again is a 409', async () => {
    const e = await rejection(ow.actions.create({
      name, action: { exec: { kind: 'java:8', code, main } }
    }))
    assert.strictEqual(e.statusCode, 409)
  })

  await check('invoke blocking with result', async () => {
    const result = await ow.actions.invoke({ name, blocking: true, result: true, params: { x: 1 } })
    assert.strictEqual(result.echo.x, 1)
  })

  await check('invoke blocking returns the activation record', async () => {
    const record = await ow.actions.invoke({ name, blocking: true, params: { log: 1 } })
    assert.match(record.activationId, /^[0-9a-f]{32}$/)
    assert.strictEqual(record.response.status, 'success')
    assert.strictEqual(record.response.success, true)
    assert.ok(record.annotations.some(a => a.key === 'waitTime'))
    activationId = record.activationId
  })

  await check('read the activation, its result and logs', async () => {
    const record = await ow.activations.get({ name: activationId })
    assert.strictEqual(record.name, name)
    const result = await ow.activations.result({ name: activationId })
    assert.strictEqual(result.status, 'success')
    const logs = await ow.activations.logs({ name: activationId })
    assert.ok(logs.logs.some(l => l.endsWith('stdout: out line 0')), JSON.stringify(logs))
    assert.ok(logs.logs.some(l => l.endsWith('stderr: err line 0')), JSON.stringify(logs))
  })

  await check('invoke non-blocking and poll the activation', async () => {
    const reply = await ow.actions.invoke({ name, params: { y: 2 } })
    assert.match(reply.activationId, /^[0-9a-f]{32}$/)
    const record = await awaitActivation(reply.activationId)
    assert.strictEqual(record.response.result.echo.y, 2)
  })

  await check('an application error rejects a blocking invoke with 502', async () => {
    const e = await rejection(ow.actions.invoke({ name, blocking: true, params: { error: 'no' } }))
    assert.strictEqual(e.statusCode, 502)
    assert.strictEqual(e.error.response.status, 'application error')
  })

  await check('a bad key is a 401', async () => {
    const bad = openwhisk({ apihost, api_key: apiKey.slice(0, -1) + (apiKey.endsWith('x') ? 'y' : 'x') })
    const e = await rejection(bad.actions.list())
    assert.strictEqual(e.statusCode, 401)
  })

  await check('delete the action, then get is a 404', async () => {
    await ow.actions.delete({ name })
    const e = await rejection(ow.actions.get({ name }))
    assert.strictEqual(e.statusCode, 404)
    const invoke = await rejection(ow.actions.invoke({ name }))
    assert.strictEqual(invoke.statusCode, 404)
  })

  console.log(`${passed} passed, ${failed} failed`)
  process.exit(failed === 0 ? 0 : 1)
}

run().catch(e => {
  console.log(`FAIL conformance run: ${e && e.stack ? e.stack : e}`)
  process.exit(1)
})
