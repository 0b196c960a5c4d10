/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "oip-sigv4.h"

/* Known answers: AWS's published Signature Version 4 examples for S3
 * ("Examples: Signature Calculations in AWS Signature Version 4", header
 * based authentication), with their intermediate values. */

#define ACCESS_KEY "AKIAIOSFODNN7EXAMPLE"
#define SECRET_KEY "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
#define AMZ_DATE "20130524T000000Z"
#define EMPTY_HASH "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

typedef struct
{
  const char *name;
  const char *method;
  const char *path;
  const char *query;
  const char *headers[12];
  const char *payload_hash;
  const char *canonical;
  const char *string_to_sign_hash;
  const char *authorization;
} Example;

static const Example examples[] = {
  { "get-object", "GET", "/test.txt", NULL,
    { "Host", "examplebucket.s3.amazonaws.com", "Range", "bytes=0-9",
      "x-amz-content-sha256", EMPTY_HASH, "x-amz-date", AMZ_DATE, NULL },
    EMPTY_HASH,
    "GET\n/test.txt\n\nhost:examplebucket.s3.amazonaws.com\nrange:bytes=0-9\n"
    "x-amz-content-sha256:" EMPTY_HASH "\nx-amz-date:20130524T000000Z\n\n"
    "host;range;x-amz-content-sha256;x-amz-date\n" EMPTY_HASH,
    "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972",
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
    "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"
    "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41" },
  { "put-object", "PUT", "/test$file.text", NULL,
    { "Host", "examplebucket.s3.amazonaws.com", "Date", "Fri, 24 May 2013 00:00:00 GMT",
      "x-amz-date", AMZ_DATE, "x-amz-storage-class", "REDUCED_REDUNDANCY",
      "x-amz-content-sha256", "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072", NULL },
    "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
    "PUT\n/test%24file.text\n\ndate:Fri, 24 May 2013 00:00:00 GMT\nhost:examplebucket.s3.amazonaws.com\n"
    "x-amz-content-sha256:44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072\n"
    "x-amz-date:20130524T000000Z\nx-amz-storage-class:REDUCED_REDUNDANCY\n\n"
    "date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class\n"
    "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072",
    "9e0e90d9c76de8fa5b200d8c849cd5b8dc7a3be3951ddb7f6a76b4158342019d",
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
    "SignedHeaders=date;host;x-amz-content-sha256;x-amz-date;x-amz-storage-class,"
    "Signature=98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd" },
  { "get-bucket-lifecycle", "GET", "/", "lifecycle",
    { "Host", "examplebucket.s3.amazonaws.com", "x-amz-date", AMZ_DATE,
      "x-amz-content-sha256", EMPTY_HASH, NULL },
    EMPTY_HASH,
    "GET\n/\nlifecycle=\nhost:examplebucket.s3.amazonaws.com\nx-amz-content-sha256:" EMPTY_HASH "\n"
    "x-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\n" EMPTY_HASH,
    "9766c798316ff2757b517bc739a67f6213b4ab36dd5da2f94eaebf79c77395ca",
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
    "SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
    "Signature=fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543" },
  { "list-objects", "GET", "/", "prefix=J&max-keys=2",
    { "Host", "examplebucket.s3.amazonaws.com", "x-amz-date", AMZ_DATE,
      "x-amz-content-sha256", EMPTY_HASH, NULL },
    EMPTY_HASH,
    "GET\n/\nmax-keys=2&prefix=J\nhost:examplebucket.s3.amazonaws.com\nx-amz-content-sha256:" EMPTY_HASH "\n"
    "x-amz-date:20130524T000000Z\n\nhost;x-amz-content-sha256;x-amz-date\n" EMPTY_HASH,
    "df57d21db20da04d7fa30298dd4488ba3a2b47ca3a489c74750e0f1e7df1b9b7",
    "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,"
    "SignedHeaders=host;x-amz-content-sha256;x-amz-date,"
    "Signature=34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7" },
};

static void
test_example (gconstpointer data)
{
  const Example *example = data;
  g_autoptr(GPtrArray) headers = g_ptr_array_new ();
  g_autofree char *signed_headers = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *to_sign = NULL;
  g_autofree char *authorization = NULL;
  OipSigV4Request request = { example->method, example->path, example->query, headers, example->payload_hash };

  for (guint i = 0; example->headers[i] != NULL; i++)
    g_ptr_array_add (headers, (gpointer) example->headers[i]);

  canonical = oip_sigv4_canonical_request (&request, &signed_headers);
  g_assert_cmpstr (canonical, ==, example->canonical);
  to_sign = oip_sigv4_string_to_sign (AMZ_DATE, "us-east-1", "s3", canonical);
  g_assert_true (g_str_has_suffix (to_sign, example->string_to_sign_hash));
  g_assert_true (g_str_has_prefix (to_sign, "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/us-east-1/s3/aws4_request\n"));
  authorization = oip_sigv4_authorization (&request, ACCESS_KEY, SECRET_KEY, AMZ_DATE, "us-east-1", "s3");
  g_assert_cmpstr (authorization, ==, example->authorization);
}

static void
test_payload_hash (void)
{
  const char *body = "Welcome to Amazon S3.";
  g_autofree char *hash = oip_sigv4_hash_hex ((const guint8 *) body, strlen (body));
  g_autofree char *empty = oip_sigv4_hash_hex ((const guint8 *) "", 0);

  g_assert_cmpstr (hash, ==, "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072");
  g_assert_cmpstr (empty, ==, EMPTY_HASH);
}

static void
test_date_and_header_folding (void)
{
  g_autoptr(GTimeZone) moscow = g_time_zone_new_offset (3 * 3600);
  g_autoptr(GDateTime) when = g_date_time_new (moscow, 2013, 5, 24, 3, 0, 0);
  g_autofree char *date = oip_sigv4_format_date (when);
  g_autoptr(GPtrArray) headers = g_ptr_array_new ();
  g_autofree char *canonical = NULL;
  OipSigV4Request request = { "PUT", "/b/k y.jpg", NULL, headers, "UNSIGNED-PAYLOAD" };

  g_assert_cmpstr (date, ==, "20130524T000000Z");

  g_ptr_array_add (headers, (gpointer) "X-Custom");
  g_ptr_array_add (headers, (gpointer) "  a   b  ");
  g_ptr_array_add (headers, (gpointer) "Host");
  g_ptr_array_add (headers, (gpointer) "127.0.0.1:9000");
  canonical = oip_sigv4_canonical_request (&request, NULL);
  g_assert_cmpstr (canonical, ==, "PUT\n/b/k%20y.jpg\n\nhost:127.0.0.1:9000\nx-custom:a b\n\nhost;x-custom\nUNSIGNED-PAYLOAD");
}

/* Secrets of every length providers issue, and past them: AWS's 40,
 * Cloudflare R2's 64, and longer. The expected signatures come from an
 * independent implementation (Python's hmac and hashlib):
 *
 *   k = ("AWS4" + secret).encode()
 *   for d in ("20130524", "auto", "s3", "aws4_request"):
 *       k = hmac.new(k, d.encode(), hashlib.sha256).digest()
 *   hmac.new(k, string_to_sign.encode(), hashlib.sha256).hexdigest()
 *
 * 60 is the last length the old fixed 64-byte key buffer could hold
 * ("AWS4" + 60); from 61 on it signed "(null)". */
static char *
make_secret (gsize length)
{
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/";
  char *secret = g_malloc (length + 1);

  for (gsize i = 0; i < length; i++)
    secret[i] = alphabet[(i * 7 + 3) % 64];
  secret[length] = '\0';
  return secret;
}

static void
test_secret_lengths (void)
{
  static const struct { gsize length; const char *signature; } cases[] = {
    { 40, "78fecf8cdaed0480748f01a5c7a778fbb5af2843f4e7a664637a7afd453f119e" },
    { 59, "b48fde3c8ec20f0d2deeb8b46850faa5a3ab16d4e83ab8ecd6915f8dad5029e2" },
    { 60, "e8dda714348b4d415ceb86ba43bed324f2b788694071c61773dde260e46d5cb3" },
    { 61, "22f1083a72bab596b30e5293391858cbce91ac31593093465df3ea7b24dab502" },
    { 64, "66b4b3ee80f65b4181ddb242fdea7246a6a1c146f6daa837983268d49acca8e4" },
    { 65, "7ea9ce93f2750c21437e89c42585f63abdb847e22505cd15ea1c0912b9a890db" },
    { 128, "26d02209a200dd07850ef7f9148eefed0fde2401b45631402d6496fe9c57fc95" },
    { 1024, "6a9a4ffa6651306dae96445038fce2b65c51d0c5c1e92655eacd54d836933100" },
  };
  const char *to_sign = "AWS4-HMAC-SHA256\n20130524T000000Z\n20130524/auto/s3/aws4_request\n"
                        "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972";

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *secret = make_secret (cases[i].length);
      g_autofree char *signature = oip_sigv4_signature (secret, AMZ_DATE, "auto", "s3", to_sign);

      g_test_message ("secret of %" G_GSIZE_FORMAT " characters", cases[i].length);
      g_assert_cmpstr (signature, ==, cases[i].signature);
    }
}

/* An R2-shaped key (32-character ID, 64-character secret) in a whole
 * Authorization header: the signature is there, never "(null)". */
static void
test_r2_authorization (void)
{
  g_autofree char *secret = make_secret (64);
  g_autoptr(GPtrArray) headers = g_ptr_array_new ();
  g_autofree char *authorization = NULL;
  OipSigV4Request request = { "PUT", "/photos/a.jpg", NULL, headers, "UNSIGNED-PAYLOAD" };

  g_ptr_array_add (headers, (gpointer) "host");
  g_ptr_array_add (headers, (gpointer) "0123456789abcdef0123456789abcdef.r2.cloudflarestorage.com");
  g_ptr_array_add (headers, (gpointer) "x-amz-date");
  g_ptr_array_add (headers, (gpointer) AMZ_DATE);
  authorization = oip_sigv4_authorization (&request, "0123456789abcdef0123456789abcdef", secret,
                                           AMZ_DATE, "auto", "s3");
  g_assert_nonnull (authorization);
  g_assert_true (g_str_has_prefix (authorization,
                                   "AWS4-HMAC-SHA256 Credential=0123456789abcdef0123456789abcdef/20130524/auto/s3/aws4_request,"));
  g_assert_null (strstr (authorization, "(null)"));
  g_assert_true (g_regex_match_simple ("Signature=[0-9a-f]{64}$", authorization, 0, 0));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (examples); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sigv4/aws-example/%s", examples[i].name);

      g_test_add_data_func (path, &examples[i], test_example);
    }
  g_test_add_func ("/sigv4/payload-hash", test_payload_hash);
  g_test_add_func ("/sigv4/date-and-header-folding", test_date_and_header_folding);
  g_test_add_func ("/sigv4/secret-lengths", test_secret_lengths);
  g_test_add_func ("/sigv4/r2-authorization", test_r2_authorization);

  return g_test_run ();
}
