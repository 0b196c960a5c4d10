/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <libsoup/soup.h>

#include "oip-error.h"
#include "oip-s3-client.h"
#include "oip-test-util.h"
#include "oip-upload-batch.h"

/* Uploads to a local S3 that checks every signature with an independent
 * implementation (npm aws4): what is stored, what is read back from the
 * public address, what is refused. */

#define ACCESS_KEY "AKIATESTEXAMPLE00001"
#define SECRET_KEY "r2-Secret/Test+Key-0123456789abcdefghij"
#define BUCKET "product-images"

static OipTestS3 *s3;

static OipStorageConfig *
config_for (const char *secret)
{
  OipStorageConfig *config = oip_storage_config_new ();

  config->endpoint = g_strdup (s3->endpoint);
  config->bucket = g_strdup (BUCKET);
  config->public_url = g_strdup (s3->public_url);
  g_free (config->prefix);
  config->prefix = g_strdup ("ozon/");
  config->access_key_id = g_strdup (ACCESS_KEY);
  config->secret_access_key = g_strdup (secret);
  return config;
}

static OipS3Client *
client_for (const char *secret)
{
  g_autoptr(OipStorageConfig) config = config_for (secret);
  g_autoptr(GError) error = NULL;
  OipS3Client *client = oip_s3_client_new (config, &error);

  g_assert_no_error (error);
  oip_s3_client_set_retry_delay (client, 10);
  return client;
}

static GBytes *
make_jpeg (guint8 shade)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 300, 400);
  gchar *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, (guint32) shade << 24 | 0x8040ff);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", NULL, NULL));
  return g_bytes_new_take (buffer, size);
}

static char *
upload (OipS3Client  *client,
        GBytes       *content,
        gboolean     *uploaded,
        GError      **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  oip_s3_client_upload_async (client, content, NULL, "image/jpeg", ".jpg", NULL, NULL, NULL, oip_test_on_ready, &result);
  return oip_s3_client_upload_finish (client, oip_test_wait (&result), uploaded, error);
}

static GBytes *
fetch (const char *url,
       char      **content_type)
{
  g_autoptr(GProxyResolver) direct = g_simple_proxy_resolver_new (NULL, NULL);
  g_autoptr(SoupSession) session = soup_session_new_with_options ("proxy-resolver", direct, NULL);
  g_autoptr(SoupMessage) message = soup_message_new ("GET", url);
  g_autoptr(GAsyncResult) result = NULL;
  GBytes *body;

  soup_session_send_and_read_async (session, message, G_PRIORITY_DEFAULT, NULL, oip_test_on_ready, &result);
  body = soup_session_send_and_read_finish (session, oip_test_wait (&result), NULL);
  g_assert_cmpuint (soup_message_get_status (message), ==, 200);
  *content_type = g_strdup (soup_message_headers_get_content_type (soup_message_get_response_headers (message), NULL));
  return body;
}

static gint64
stat_of (const char *name)
{
  g_autoptr(JsonObject) stats = oip_test_s3_stats (s3);

  return json_object_get_int_member (stats, name);
}

static void
test_upload_stored_and_readable (void)
{
  g_autoptr(OipS3Client) client = client_for (SECRET_KEY);
  g_autoptr(GBytes) jpeg = make_jpeg (1);
  g_autoptr(GBytes) read_back = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *type = NULL;
  g_autofree char *hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, jpeg);
  g_autofree char *expected = g_strdup_printf ("%s/ozon/%s.jpg", s3->public_url, hash);
  gboolean uploaded = FALSE;
  gint64 puts = stat_of ("put");

  url = upload (client, jpeg, &uploaded, &error);
  g_assert_no_error (error);
  g_assert_true (uploaded);
  /* Named by its content, under the public address. */
  g_assert_cmpstr (url, ==, expected);
  g_assert_cmpint (stat_of ("put"), ==, puts + 1);
  g_assert_cmpint (stat_of ("refused"), ==, 0);

  read_back = fetch (url, &type);
  g_assert_true (g_bytes_equal (read_back, jpeg));
  g_assert_cmpstr (type, ==, "image/jpeg");
}

static void
test_same_content_not_uploaded_twice (void)
{
  g_autoptr(OipS3Client) client = client_for (SECRET_KEY);
  g_autoptr(GBytes) jpeg = make_jpeg (2);
  g_autofree char *first = upload (client, jpeg, NULL, NULL);
  g_autofree char *second = NULL;
  gboolean uploaded = TRUE;
  gint64 puts = stat_of ("put");
  gint64 heads = stat_of ("head");

  second = upload (client, jpeg, &uploaded, NULL);
  g_assert_cmpstr (first, ==, second);
  g_assert_false (uploaded);
  g_assert_cmpint (stat_of ("put"), ==, puts);
  g_assert_cmpint (stat_of ("head"), ==, heads + 1);
}

static void
test_wrong_secret_refused (void)
{
  g_autoptr(OipS3Client) client = client_for ("not-the-secret");
  g_autoptr(GBytes) jpeg = make_jpeg (3);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  gint64 objects = stat_of ("objects");
  gint64 refused = stat_of ("refused");

  url = upload (client, jpeg, NULL, &error);
  g_assert_null (url);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_STORAGE_DENIED);
  g_assert_nonnull (strstr (error->message, "SignatureDoesNotMatch"));
  g_assert_null (strstr (error->message, "not-the-secret"));
  /* Nothing was written, and the refusal was not retried. */
  g_assert_cmpint (stat_of ("objects"), ==, objects);
  g_assert_cmpint (stat_of ("refused"), ==, refused + 2);   /* HEAD, then PUT */
}

static void
test_server_errors_retried (void)
{
  g_autoptr(OipS3Client) client = client_for (SECRET_KEY);
  g_autoptr(GBytes) jpeg = make_jpeg (4);
  g_autoptr(GBytes) other = make_jpeg (5);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *failed = NULL;

  oip_test_s3_fail_next (s3, 2);
  url = upload (client, jpeg, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (url);

  oip_s3_client_set_max_retries (client, 1);
  oip_test_s3_fail_next (s3, 5);
  failed = upload (client, other, NULL, &error);
  g_assert_null (failed);
  g_assert_error (error, OIP_ERROR, OIP_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "500"));
  oip_test_s3_fail_next (s3, 0);
}

static void
test_storage_test (void)
{
  g_autoptr(OipS3Client) client = client_for (SECRET_KEY);
  g_autoptr(OipStorageConfig) wrong_public = config_for (SECRET_KEY);
  g_autoptr(OipS3Client) misconfigured = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  gint64 objects = stat_of ("objects");
  gint64 deletes = stat_of ("delete");

  oip_s3_client_test_async (client, NULL, oip_test_on_ready, &result);
  g_assert_true (oip_s3_client_test_finish (client, oip_test_wait (&result), &error));
  g_assert_no_error (error);
  g_assert_cmpint (stat_of ("delete"), ==, deletes + 1);
  g_assert_cmpint (stat_of ("objects"), ==, objects);

  /* Written fine, but not where the seller said it is public. */
  g_free (wrong_public->public_url);
  wrong_public->public_url = g_strconcat (s3->endpoint, "/nowhere", NULL);
  misconfigured = oip_s3_client_new (wrong_public, NULL);
  g_clear_object (&result);
  oip_s3_client_test_async (misconfigured, NULL, oip_test_on_ready, &result);
  g_assert_false (oip_s3_client_test_finish (misconfigured, oip_test_wait (&result), &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_STORAGE);
  g_assert_nonnull (strstr (error->message, "/nowhere/"));
}

/* Every key shape a provider issues, end to end against a fake that
 * checks each signature with npm aws4: AWS (20-character ID, 40-character
 * secret), Cloudflare R2 (32 and 64: the old signer's fixed 64-byte key
 * buffer signed it as "(null)"), and longer secrets still. */
static void
test_key_shapes (void)
{
  static const struct { const char *name; gsize id_length; gsize secret_length; } shapes[] = {
    { "aws", 20, 40 },
    { "r2", 32, 64 },
    { "long", 32, 128 },
    { "very-long", 128, 1024 },
  };
  static const char alphabet[] = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789+/";

  for (guint i = 0; i < G_N_ELEMENTS (shapes); i++)
    {
      g_autoptr(GString) id = g_string_new (NULL);
      g_autoptr(GString) secret = g_string_new (NULL);
      g_autoptr(OipStorageConfig) config = NULL;
      g_autoptr(OipS3Client) client = NULL;
      g_autoptr(OipS3Client) wrong = NULL;
      g_autoptr(GBytes) jpeg = make_jpeg (40 + i);
      g_autoptr(GBytes) other = make_jpeg (80 + i);
      g_autoptr(GBytes) read_back = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonObject) stats = NULL;
      g_autofree char *url = NULL;
      g_autofree char *failed = NULL;
      g_autofree char *type = NULL;
      OipTestS3 *shaped;

      g_test_message ("%s: %" G_GSIZE_FORMAT "-character ID, %" G_GSIZE_FORMAT "-character secret",
                      shapes[i].name, shapes[i].id_length, shapes[i].secret_length);
      for (gsize j = 0; j < shapes[i].id_length; j++)
        g_string_append_c (id, "0123456789abcdef"[(j * 5 + i) % 16]);
      for (gsize j = 0; j < shapes[i].secret_length; j++)
        g_string_append_c (secret, alphabet[(j * 7 + i) % 64]);

      shaped = oip_test_s3_start (id->str, secret->str, BUCKET);
      g_assert_nonnull (shaped);
      config = oip_storage_config_new ();
      config->endpoint = g_strdup (shaped->endpoint);
      config->bucket = g_strdup (BUCKET);
      config->public_url = g_strdup (shaped->public_url);
      config->access_key_id = g_strdup (id->str);
      config->secret_access_key = g_strdup (secret->str);
      client = oip_s3_client_new (config, &error);
      g_assert_no_error (error);

      url = upload (client, jpeg, NULL, &error);
      g_assert_no_error (error);
      g_assert_nonnull (url);
      read_back = fetch (url, &type);
      g_assert_true (g_bytes_equal (read_back, jpeg));

      /* The fake really checks: one character off is refused. */
      secret->str[secret->len - 1] = secret->str[secret->len - 1] == 'a' ? 'b' : 'a';
      g_free (config->secret_access_key);
      config->secret_access_key = g_strdup (secret->str);
      wrong = oip_s3_client_new (config, NULL);
      failed = upload (wrong, other, NULL, &error);
      g_assert_null (failed);
      g_assert_error (error, OIP_ERROR, OIP_ERROR_STORAGE_DENIED);

      stats = oip_test_s3_stats (shaped);
      g_assert_cmpint (json_object_get_int_member (stats, "put"), ==, 1);
      oip_test_s3_stop (shaped);
    }
}

/* What would break the Authorization header or the signing scope is
 * refused before anything is signed or saved; any length is fine. */
static void
test_key_characters (void)
{
  static const struct { const char *id; const char *secret; const char *region; } bad[] = {
    { "ID\r\nX-Evil: 1", SECRET_KEY, "auto" },
    { "ID/with/slash", SECRET_KEY, "auto" },
    { "ID,more", SECRET_KEY, "auto" },
    { "I D", SECRET_KEY, "auto" },
    { "ИД", SECRET_KEY, "auto" },
    { ACCESS_KEY, "secret\nwith-line-break", "auto" },
    { ACCESS_KEY, "secret with space", "auto" },
    { ACCESS_KEY, SECRET_KEY, "auto/evil" },
    { ACCESS_KEY, SECRET_KEY, "eu central" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(OipStorageConfig) config = config_for (bad[i].secret);
      g_autoptr(GError) error = NULL;
      g_autoptr(OipS3Client) client = NULL;

      g_free (config->access_key_id);
      config->access_key_id = g_strdup (bad[i].id);
      g_free (config->region);
      config->region = g_strdup (bad[i].region);
      client = oip_s3_client_new (config, &error);
      g_assert_null (client);
      g_assert_error (error, OIP_ERROR, OIP_ERROR_STORAGE_NOT_CONFIGURED);
      g_assert_null (strstr (error->message, bad[i].secret));
    }
}

static void
test_config (void)
{
  g_autoptr(OipStorageConfig) insecure = config_for (SECRET_KEY);
  g_autoptr(OipStorageConfig) loaded = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  g_free (insecure->endpoint);
  insecure->endpoint = g_strdup ("http://storage.example.com");
  g_assert_null (oip_s3_client_new (insecure, &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_INSECURE_URL);
  g_clear_error (&error);

  /* Nothing set: says what is missing. */
  oip_storage_config_load_async (NULL, oip_test_on_ready, &result);
  g_assert_null (oip_storage_config_load_finish (oip_test_wait (&result), &error));
  g_assert_error (error, OIP_ERROR, OIP_ERROR_STORAGE_NOT_CONFIGURED);
  g_assert_nonnull (strstr (error->message, "bucket"));
  g_clear_error (&error);
  g_clear_object (&result);

  /* The conventional AWS variables, for scripts. */
  g_setenv ("AWS_ENDPOINT_URL", "https://wrong.example.com", TRUE);
  g_setenv ("AWS_ENDPOINT_URL_S3", s3->endpoint, TRUE);
  g_setenv ("AWS_ACCESS_KEY_ID", ACCESS_KEY, TRUE);
  g_setenv ("AWS_SECRET_ACCESS_KEY", SECRET_KEY, TRUE);
  g_setenv ("OZON_PUSH_S3_BUCKET", BUCKET, TRUE);
  g_setenv ("OZON_PUSH_S3_PUBLIC_URL", s3->public_url, TRUE);
  oip_storage_config_load_async (NULL, oip_test_on_ready, &result);
  loaded = oip_storage_config_load_finish (oip_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (loaded->endpoint, ==, s3->endpoint);
  g_assert_cmpstr (loaded->region, ==, "auto");
  g_assert_cmpstr (loaded->bucket, ==, BUCKET);
  g_assert_cmpstr (loaded->secret_access_key, ==, SECRET_KEY);
  g_unsetenv ("AWS_ENDPOINT_URL");
  g_unsetenv ("AWS_ENDPOINT_URL_S3");
  g_unsetenv ("AWS_ACCESS_KEY_ID");
  g_unsetenv ("AWS_SECRET_ACCESS_KEY");
  g_unsetenv ("OZON_PUSH_S3_BUCKET");
  g_unsetenv ("OZON_PUSH_S3_PUBLIC_URL");
}

static char *
write_file (const char *name,
            GBytes     *content)
{
  char *path = g_build_filename (g_get_user_cache_dir (), name, NULL);

  g_assert_cmpint (g_mkdir_with_parents (g_get_user_cache_dir (), 0700), ==, 0);
  g_assert_true (g_file_set_contents (path, g_bytes_get_data (content, NULL), g_bytes_get_size (content), NULL));
  return path;
}

static GPtrArray *
storage_env (const char *ozon_url)
{
  GPtrArray *env = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (env, g_strconcat ("AWS_ENDPOINT_URL_S3=", s3->endpoint, NULL));
  g_ptr_array_add (env, g_strdup ("AWS_ACCESS_KEY_ID=" ACCESS_KEY));
  g_ptr_array_add (env, g_strdup ("AWS_SECRET_ACCESS_KEY=" SECRET_KEY));
  g_ptr_array_add (env, g_strdup ("OZON_PUSH_S3_BUCKET=" BUCKET));
  g_ptr_array_add (env, g_strconcat ("OZON_PUSH_S3_PUBLIC_URL=", s3->public_url, NULL));
  if (ozon_url != NULL)
    {
      g_ptr_array_add (env, g_strconcat ("OZON_API_URL=", ozon_url, NULL));
      g_ptr_array_add (env, g_strdup ("OZON_CLIENT_ID=" TEST_CLIENT_ID));
      g_ptr_array_add (env, g_strdup ("OZON_API_KEY=" TEST_API_KEY));
    }
  g_ptr_array_add (env, NULL);
  return env;
}

static void
test_cli_upload (void)
{
  g_autoptr(GBytes) a = make_jpeg (10);
  g_autoptr(GBytes) b = make_jpeg (11);
  g_autofree char *path_a = write_file ("a.jpg", a);
  g_autofree char *path_b = write_file ("b.JPEG", b);
  g_autoptr(GPtrArray) env = storage_env (NULL);
  const char *args[] = { "upload", path_a, path_b, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *again = NULL;
  g_auto(GStrv) lines = NULL;
  gint64 puts = stat_of ("put");

  g_assert_cmpint (oip_test_run_cli ((const char * const *) env->pdata, NULL, args, &out, &err), ==, 0);
  lines = g_strsplit (g_strstrip (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 2);
  g_assert_true (g_str_has_prefix (lines[0], s3->public_url));
  g_assert_true (g_str_has_suffix (lines[1], ".jpg"));
  g_assert_cmpint (stat_of ("put"), ==, puts + 2);
  g_assert_null (strstr (err, SECRET_KEY));

  /* Again: the same URLs, nothing sent. */
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (oip_test_run_cli ((const char * const *) env->pdata, NULL, args, &again, &err), ==, 0);
  g_assert_cmpstr (g_strstrip (again), ==, out);
  g_assert_cmpint (stat_of ("put"), ==, puts + 2);
}

static void
test_cli_upload_refuses_non_pictures (void)
{
  g_autoptr(GBytes) html = g_bytes_new_static ("<html>404</html>", 16);
  g_autofree char *path = write_file ("photo.jpg", html);
  g_autoptr(GPtrArray) env = storage_env (NULL);
  const char *args[] = { "upload", path, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gint64 puts = stat_of ("put");

  g_assert_cmpint (oip_test_run_cli ((const char * const *) env->pdata, NULL, args, &out, &err), ==, 1);
  g_assert_nonnull (strstr (out, "\"image_rejected\""));
  g_assert_nonnull (strstr (out, "photo.jpg"));
  g_assert_cmpint (stat_of ("put"), ==, puts);
}

static void
test_cli_upload_converts_webp (void)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 900, 1200);
  g_autoptr(GBytes) webp = NULL;
  g_autoptr(GPtrArray) env = storage_env (NULL);
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  gchar *buffer = NULL;
  gsize size = 0;

  gdk_pixbuf_fill (pixbuf, 0x884422ff);
  if (!gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "webp", NULL, NULL))
    {
      g_assert_null (g_getenv ("OZON_PUSH_REQUIRE_S3_FAKE"));
      g_test_skip ("no WebP support in GdkPixbuf here");
      return;
    }
  webp = g_bytes_new_take (buffer, size);
  path = write_file ("phone.webp", webp);
  {
    const char *args[] = { "upload", path, NULL };

    g_assert_cmpint (oip_test_run_cli ((const char * const *) env->pdata, NULL, args, &out, &err), ==, 0);
  }
  /* Stored as the JPEG Ozon takes, and the seller is told. */
  g_assert_true (g_str_has_suffix (g_strstrip (out), ".jpg"));
  g_assert_nonnull (strstr (err, "phone.webp"));
  g_assert_nonnull (strstr (err, "WebP"));
}

static void
test_cli_push_local_files (void)
{
  g_autoptr(OipFakeOzon) fake = oip_test_fake_new ();
  g_autoptr(GBytes) a = make_jpeg (20);
  g_autoptr(GBytes) b = make_jpeg (21);
  g_autofree char *path_a = write_file ("front.jpg", a);
  g_autofree char *path_b = write_file ("side.jpg", b);
  g_autoptr(GPtrArray) env = storage_env (oip_fake_ozon_get_base_url (fake));
  const char *download[] = { "product", "--product-id", "214365879", NULL };
  const char *push[] = { "push", "--product-id", "214365879", "--image", path_a, "--image", path_b, NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  const char * const *on_ozon;
  gint64 puts;

  g_assert_cmpint (oip_test_run_cli ((const char * const *) env->pdata, NULL, download, &out, &err), ==, 0);
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  puts = stat_of ("put");
  g_assert_cmpint (oip_test_run_cli ((const char * const *) env->pdata, NULL, push, &out, &err), ==, 0);
  g_assert_nonnull (strstr (out, "\"success\" : true"));
  g_assert_cmpint (stat_of ("put"), ==, puts + 2);

  /* Ozon has the pictures from the storage's public URLs, fetched fine. */
  on_ozon = oip_fake_ozon_get_product_images (fake, 214365879);
  g_assert_cmpuint (g_strv_length ((char **) on_ozon), ==, 2);
  g_assert_true (g_str_has_prefix (on_ozon[0], s3->public_url));
  g_assert_null (strstr (out, "\"image_errors\" : [\n      {"));
  g_assert_cmpint (stat_of ("get"), >=, 2);

  /* The second push of the same files uploads nothing. */
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);
  g_assert_cmpint (oip_test_run_cli ((const char * const *) env->pdata, NULL, push, &out, &err), ==, 0);
  g_assert_cmpint (stat_of ("put"), ==, puts + 2);
  g_assert_nonnull (strstr (out, "\"import_status\" : \"skipped\""));
}

static void
test_cli_storage_set_and_test (void)
{
  const char *env[] = { "GSETTINGS_BACKEND=keyfile", NULL };
  const char *set[] = { "storage", "set", "--endpoint", s3->endpoint, "--bucket", BUCKET,
                        "--public-url", s3->public_url, "--prefix", "cli/", "--access-key-id", ACCESS_KEY, NULL };
  const char *check[] = { "storage", "test", NULL };
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *keyfile = NULL;
  g_autofree char *path = g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings", "keyfile", NULL);
  gint64 deletes = stat_of ("delete");

  if (g_getenv ("DBUS_SESSION_BUS_ADDRESS") == NULL)
    {
      g_test_skip ("no D-Bus session bus for the keyring");
      return;
    }

  g_assert_cmpint (oip_test_run_cli (env, SECRET_KEY "\n", set, &out, &err), ==, 0);
  g_assert_null (strstr (out, SECRET_KEY));
  /* Settings on disk: everything but the secret. */
  g_assert_true (g_file_get_contents (path, &keyfile, NULL, NULL));
  g_assert_nonnull (strstr (keyfile, BUCKET));
  g_assert_null (strstr (keyfile, SECRET_KEY));
  g_clear_pointer (&out, g_free);
  g_clear_pointer (&err, g_free);

  /* The secret comes back from the keyring. */
  g_assert_cmpint (oip_test_run_cli (env, NULL, check, &out, &err), ==, 0);
  g_assert_cmpint (stat_of ("delete"), ==, deletes + 1);
}

/* The hash that names objects and signs uploads (libgcrypt) against
 * FIPS 180-2's examples and GLib's own. */
static void
test_content_hash (void)
{
  g_autoptr(GBytes) empty = g_bytes_new_static ("", 0);
  g_autoptr(GBytes) abc = g_bytes_new_static ("abc", 3);
  g_autofree char *empty_hash = oip_s3_client_hash (empty);
  g_autofree char *abc_hash = oip_s3_client_hash (abc);
  gsize size = 5 * 1000 * 1000 + 3;
  guint8 *data = g_malloc (size);
  g_autoptr(GBytes) large = NULL;
  g_autofree char *large_hash = NULL;
  g_autofree char *glib_hash = NULL;

  g_assert_cmpstr (empty_hash, ==, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  g_assert_cmpstr (abc_hash, ==, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  for (gsize i = 0; i < size; i++)
    data[i] = (guint8) (i * 2654435761u >> 13);
  large = g_bytes_new_take (data, size);
  large_hash = oip_s3_client_hash (large);
  glib_hash = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, large);
  g_assert_cmpstr (large_hash, ==, glib_hash);
}

static GBytes *
make_noisy_jpeg (guint seed)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 1200, 1600);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gchar *buffer = NULL;
  gsize size = 0;

  for (int y = 0; y < 1600; y++)
    for (int x = 0; x < 1200 * 3; x++)
      pixels[y * stride + x] = (guint8) g_rand_int_range (rand, 0, 256);
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", NULL, "quality", "95", NULL));
  return g_bytes_new_take (buffer, size);
}

typedef struct
{
  guint   count;
  guint64 last;
  guint64 total;
} Progress;

static void
on_batch_progress (OipUploadBatch *batch,
                   guint           index,
                   guint64         sent,
                   guint64         total,
                   Progress       *progress)
{
  /* No retry here: never backwards. */
  g_assert_cmpuint (sent, >=, progress[index].last);
  g_assert_cmpuint (sent, <=, total);
  progress[index].count++;
  progress[index].last = sent;
  progress[index].total = total;
}

/* Each file's progress goes out about every 1/64 of it and at its end,
 * not for every 8 KB libsoup writes (a 2 MB photo made some 250
 * signals, each redrawing its row in the window); the batch's sums are
 * right at the end; found already stored, a file reports once. */
static void
test_batch_progress (void)
{
  g_autoptr(OipS3Client) client = client_for (SECRET_KEY);
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  guint64 sum = 0;

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(GBytes) photo = make_noisy_jpeg (i);
      g_autofree char *name = g_strdup_printf ("noisy-%u.jpg", i);
      g_autofree char *path = write_file (name, photo);

      g_assert_cmpuint (g_bytes_get_size (photo), >, 1500 * 1000);
      g_ptr_array_add (files, g_file_new_for_path (path));
      sum += g_bytes_get_size (photo);
    }

  for (guint run = 0; run < 2; run++)
    {
      g_autoptr(OipUploadBatch) batch = oip_upload_batch_new (client, files, 2);
      g_autoptr(GAsyncResult) result = NULL;
      g_autoptr(GError) error = NULL;
      g_auto(GStrv) urls = NULL;
      Progress progress[3] = { { 0 } };

      g_signal_connect (batch, "file-progress", G_CALLBACK (on_batch_progress), progress);
      oip_upload_batch_run_async (batch, NULL, oip_test_on_ready, &result);
      urls = oip_upload_batch_run_finish (batch, oip_test_wait (&result), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (oip_upload_batch_get_n_uploaded (batch), ==, run == 0 ? 3 : 0);

      for (guint i = 0; i < 3; i++)
        {
          g_test_message ("run %u, file %u: %u signals for %" G_GUINT64_FORMAT " bytes", run, i,
                          progress[i].count, progress[i].total);
          g_assert_cmpuint (progress[i].last, ==, progress[i].total);
          if (run == 0)
            {
              g_assert_cmpuint (progress[i].count, >=, 8);
              g_assert_cmpuint (progress[i].count, <=, 66);
            }
          else
            g_assert_cmpuint (progress[i].count, ==, 1);
        }
      g_assert_cmpuint (oip_upload_batch_get_bytes_total (batch), ==, sum);
      g_assert_cmpuint (oip_upload_batch_get_bytes_sent (batch), ==, sum);
    }
}

int
main (int   argc,
      char *argv[])
{
  int status;

  oip_test_init (&argc, &argv);
  s3 = oip_test_s3_start (ACCESS_KEY, SECRET_KEY, BUCKET);
  if (s3 == NULL)
    {
      g_print ("1..0 # SKIP Node.js with the aws4 package is not installed\n");
      return 0;
    }

  g_test_add_func ("/s3/upload-stored-and-readable", test_upload_stored_and_readable);
  g_test_add_func ("/s3/same-content-not-uploaded-twice", test_same_content_not_uploaded_twice);
  g_test_add_func ("/s3/wrong-secret-refused", test_wrong_secret_refused);
  g_test_add_func ("/s3/server-errors-retried", test_server_errors_retried);
  g_test_add_func ("/s3/storage-test", test_storage_test);
  g_test_add_func ("/s3/key-shapes", test_key_shapes);
  g_test_add_func ("/s3/content-hash", test_content_hash);
  g_test_add_func ("/s3/batch-progress", test_batch_progress);
  g_test_add_func ("/s3/key-characters", test_key_characters);
  g_test_add_func ("/s3/config", test_config);
  g_test_add_func ("/s3/cli-upload", test_cli_upload);
  g_test_add_func ("/s3/cli-upload-refuses-non-pictures", test_cli_upload_refuses_non_pictures);
  g_test_add_func ("/s3/cli-upload-converts-webp", test_cli_upload_converts_webp);
  g_test_add_func ("/s3/cli-push-local-files", test_cli_push_local_files);
  g_test_add_func ("/s3/cli-storage-set-and-test", test_cli_storage_set_and_test);
  status = g_test_run ();
  oip_test_s3_stop (s3);
  return status;
}
