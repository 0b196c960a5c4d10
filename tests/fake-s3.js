// SPDX-License-Identifier: GPL-3.0-or-later
// A loopback S3 for the storage tests that checks every signature with an
// independent implementation of AWS Signature Version 4 (the npm package
// "aws4"), which s3rver does not do. Path-style only: /BUCKET/KEY.
//
//   node fake-s3.js ACCESS_KEY_ID SECRET_ACCESS_KEY REGION BUCKET
//
// prints "PORT <n>" once listening on 127.0.0.1. Objects are public,
// unsigned, at /public/KEY. GET /__stats counts requests; POST /__fail?n=N
// makes the next N signed requests answer 500; POST /__forget drops every
// stored object (the counts stay), so a benchmark's memory stays bounded.
'use strict'
const http = require('http')
const crypto = require('crypto')
const aws4 = require('aws4')

const [accessKeyId, secretAccessKey, region, bucket] = process.argv.slice(2)
const objects = new Map()
const stats = { put: 0, head: 0, get: 0, delete: 0, refused: 0 }
let failNext = 0

function xmlError (res, status, code, message) {
  res.writeHead(status, { 'Content-Type': 'application/xml' })
  res.end(`<?xml version="1.0" encoding="UTF-8"?>\n<Error><Code>${code}</Code><Message>${message}</Message></Error>`)
}

function checkSignature (req, body) {
  const auth = req.headers.authorization || ''
  const match = /^AWS4-HMAC-SHA256 Credential=([^/]+)\/(\d{8})\/([^/]+)\/s3\/aws4_request,\s*SignedHeaders=([^,]+),\s*Signature=([0-9a-f]{64})$/.exec(auth)
  if (!match) return 'AccessDenied'
  const [, keyId, date, signedRegion, signedHeaders, signature] = match
  if (keyId !== accessKeyId) return 'InvalidAccessKeyId'
  if (signedRegion !== region) return 'AuthorizationHeaderMalformed'
  if (!(req.headers['x-amz-date'] || '').startsWith(date)) return 'AccessDenied'
  const payloadHash = req.headers['x-amz-content-sha256']
  if (payloadHash !== 'UNSIGNED-PAYLOAD' && payloadHash !== crypto.createHash('sha256').update(body).digest('hex')) {
    return 'XAmzContentSHA256Mismatch'
  }
  const headers = {}
  for (const name of signedHeaders.split(';')) {
    if (name !== 'host') headers[name] = req.headers[name]
  }
  const opts = { host: req.headers.host, method: req.method, path: req.url, service: 's3', region, headers }
  const signer = new aws4.RequestSigner(opts, { accessKeyId, secretAccessKey })
  signer.sign()
  if (process.env.FAKE_S3_DEBUG) console.error(signer.canonicalString())
  // aws4 separates the fields with ", " and AWS's examples with ",": both
  // are accepted by S3, so the signatures themselves are compared.
  const expected = /Signature=([0-9a-f]{64})/.exec(opts.headers.Authorization)[1]
  return expected === signature ? null : 'SignatureDoesNotMatch'
}

const server = http.createServer((req, res) => {
  const chunks = []
  req.on('data', (chunk) => chunks.push(chunk))
  req.on('end', () => {
    const body = Buffer.concat(chunks)
    const url = new URL(req.url, 'http://localhost')

    if (url.pathname === '/__stats') {
      res.writeHead(200, { 'Content-Type': 'application/json' })
      res.end(JSON.stringify({ ...stats, objects: objects.size }))
      return
    }
    if (url.pathname === '/__fail' && req.method === 'POST') {
      failNext = Number(url.searchParams.get('n') || 1)
      res.writeHead(204)
      res.end()
      return
    }
    if (url.pathname === '/__forget' && req.method === 'POST') {
      objects.clear()
      res.writeHead(204)
      res.end()
      return
    }
    if (url.pathname.startsWith('/public/')) {
      const object = objects.get(decodeURIComponent(url.pathname.slice('/public/'.length)))
      if (!object) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.')
      stats.get++
      res.writeHead(200, { 'Content-Type': object.type, 'Cache-Control': object.cacheControl || '' })
      res.end(req.method === 'HEAD' ? undefined : object.body)
      return
    }

    const refusal = checkSignature(req, body)
    if (refusal) {
      stats.refused++
      return xmlError(res, 403, refusal, 'The request signature we calculated does not match the signature you provided.')
    }
    if (failNext > 0) {
      failNext--
      return xmlError(res, 500, 'InternalError', 'We encountered an internal error. Please try again.')
    }

    const parts = url.pathname.split('/')
    if (parts[1] !== bucket) return xmlError(res, 404, 'NoSuchBucket', 'The specified bucket does not exist.')
    const key = decodeURIComponent(parts.slice(2).join('/'))

    switch (req.method) {
      case 'PUT':
        stats.put++
        objects.set(key, { body, type: req.headers['content-type'] || 'application/octet-stream', cacheControl: req.headers['cache-control'] })
        res.writeHead(200, { ETag: '"' + crypto.createHash('md5').update(body).digest('hex') + '"' })
        res.end()
        return
      case 'HEAD': {
        stats.head++
        const object = objects.get(key)
        res.writeHead(object ? 200 : 404, object ? { 'Content-Length': object.body.length, 'Content-Type': object.type } : {})
        res.end()
        return
      }
      case 'GET': {
        stats.get++
        const object = objects.get(key)
        if (!object) return xmlError(res, 404, 'NoSuchKey', 'The specified key does not exist.')
        res.writeHead(200, { 'Content-Type': object.type })
        res.end(object.body)
        return
      }
      case 'DELETE':
        stats.delete++
        objects.delete(key)
        res.writeHead(204)
        res.end()
        return
      default:
        return xmlError(res, 405, 'MethodNotAllowed', 'The specified method is not allowed.')
    }
  })
})

server.listen(0, '127.0.0.1', () => console.log(`PORT ${server.address().port}`))
process.stdin.on('end', () => process.exit(0))
process.stdin.resume()
