/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "oip-context.h"
#include "oip-fake-ozon.h"
#include "oip-ozon-client.h"
#include "oip-product-store.h"
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TEST_CLIENT_ID "123456"
/* Distinctive, so a leak of it into any output can be grepped for. */
#define TEST_API_KEY "k3y-SECRET-9f8e7d6c5b4a"

void           oip_test_init             (int           *argc,
                                          char        ***argv);
void           oip_test_isolate_dirs     (void);
void           oip_test_empty_dirs       (void);
void           oip_test_add_func         (const char    *path,
                                          GTestFunc      func);

void           oip_test_on_ready         (GObject       *source,
                                          GAsyncResult  *result,
                                          gpointer       user_data);
GAsyncResult  *oip_test_wait             (GAsyncResult **result);
void           oip_test_wait_until       (gboolean      *flag);
gint64         oip_test_wait_elapsed_ms  (GAsyncResult **result);
void           oip_test_assert_finalize  (gpointer       object);
OipFakeOzon   *oip_test_fake_new         (void);
OipOzonClient *oip_test_client_new       (OipFakeOzon   *fake);
OipDatabase   *oip_test_database_open    (GFile         *file);
void           oip_test_database_drain   (OipDatabase   *db);
void           oip_test_store_put        (OipProductStore *store,
                                          OipProduct    *product);
OipProduct    *oip_test_store_lookup     (OipProductStore *store,
                                          gint64         product_id,
                                          GError       **error);
OipProductStore *oip_test_store_with_product (OipFakeOzon *fake,
                                              OipOzonClient *client,
                                              gint64       product_id);

char          *oip_test_write_jpeg       (const char    *name,
                                          guint          width,
                                          guint          height,
                                          guint32        color);
void           oip_test_use_demo_bucket  (OipContext    *context,
                                          OipFakeOzon   *fake);

GSubprocess   *oip_test_spawn_cli        (OipFakeOzon        *fake,
                                          const char * const *args);
int            oip_test_wait_cli         (GSubprocess        *process,
                                          char              **out,
                                          char              **err);
int            oip_test_run_cli          (const char * const *env,
                                          const char         *stdin_text,
                                          const char * const *args,
                                          char              **out,
                                          char              **err);
int            oip_test_run_cli_stdin_file (const char * const *env,
                                            const char         *stdin_path,
                                            const char * const *args,
                                            char              **out,
                                            char              **err);

/**
 * OipTestS3:
 * @endpoint: the fake S3's address
 * @public_url: where its objects are served unsigned
 *
 * tests/fake-s3.js, which checks every signature with the npm "aws4"
 * package.
 */
typedef struct
{
  GSubprocess *process;
  char        *endpoint;
  char        *public_url;
} OipTestS3;

OipTestS3     *oip_test_s3_start         (const char *access_key_id,
                                          const char *secret_access_key,
                                          const char *bucket);
void           oip_test_s3_stop          (OipTestS3  *s3);
JsonObject    *oip_test_s3_stats         (OipTestS3  *s3);
void           oip_test_s3_fail_next     (OipTestS3  *s3,
                                          guint       count);

typedef struct _OipTestFakeThread OipTestFakeThread;

OipTestFakeThread *oip_test_fake_thread_start        (void);
void               oip_test_fake_thread_invoke       (OipTestFakeThread  *self,
                                                      void              (*func) (OipFakeOzon *fake,
                                                                                 gpointer     data),
                                                      gpointer            data);
char              *oip_test_fake_thread_get_base_url (OipTestFakeThread  *self);
void               oip_test_fake_thread_stop         (OipTestFakeThread  *self);

G_END_DECLS
