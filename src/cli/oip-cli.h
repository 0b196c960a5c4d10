/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "oip-context.h"
#include "oip-credentials.h"
#include "oip-ozon-client.h"
#include "oip-product-store.h"
#include "oip-push-job.h"
#include "oip-settings.h"

G_BEGIN_DECLS

/* Exit codes, as `ozon-push --help` documents them. */
#define OIP_CLI_EXIT_OK      0
#define OIP_CLI_EXIT_FAILED  1
#define OIP_CLI_EXIT_USAGE   2

/* The longest line read from standard input (a Client-Id, an Api-Key, a
 * storage secret): longer than any provider issues. */
#define OIP_CLI_MAX_LINE     4096

/**
 * OipCli:
 *
 * What every command shares: the settings with their command-line
 * overrides, the cancellable that Ctrl+C cancels, and the output helpers.
 */
typedef struct
{
  OipPushSettings  settings;
  int              timeout;       /* -1: from settings */
  int              max_retries;   /* -1: from settings */
  gboolean         no_validate_urls;
  GCancellable    *cancellable;
} OipCli;

typedef int (*OipCliCommand) (OipCli *cli, int argc, char **argv);

int              oip_cli_accounts        (OipCli *cli, int argc, char **argv);
int              oip_cli_bulk            (OipCli *cli, int argc, char **argv);
int              oip_cli_login           (OipCli *cli, int argc, char **argv);
int              oip_cli_logout          (OipCli *cli, int argc, char **argv);
int              oip_cli_product         (OipCli *cli, int argc, char **argv);
int              oip_cli_products        (OipCli *cli, int argc, char **argv);
int              oip_cli_push            (OipCli *cli, int argc, char **argv);
int              oip_cli_history         (OipCli *cli, int argc, char **argv);
int              oip_cli_restore         (OipCli *cli, int argc, char **argv);
int              oip_cli_retry           (OipCli *cli, int argc, char **argv);
int              oip_cli_run_job         (OipCli          *cli,
                                          OipPushJob      *job);
int              oip_cli_status          (OipCli *cli, int argc, char **argv);
int              oip_cli_storage         (OipCli *cli, int argc, char **argv);
int              oip_cli_upload          (OipCli *cli, int argc, char **argv);

GStrv            oip_cli_upload_files    (OipCli          *cli,
                                          GPtrArray       *files,
                                          GError         **error);
gboolean         oip_cli_is_local_image  (const char      *text);

GOptionGroup    *oip_cli_common_options  (OipCli          *cli);
gboolean         oip_cli_parse           (OipCli          *cli,
                                          GOptionContext  *context,
                                          int             *argc,
                                          char          ***argv);
GAsyncResult    *oip_cli_wait            (GAsyncResult   **result);
void             oip_cli_on_ready        (GObject         *source,
                                          GAsyncResult    *result,
                                          gpointer         user_data);
OipContext      *oip_cli_new_context     (OipCli          *cli,
                                          const char      *client_id,
                                          const char      *api_key,
                                          gboolean         with_store,
                                          GError         **error);
OipOzonClient   *oip_cli_create_client   (OipCli          *cli,
                                          OipContext      *context,
                                          GError         **error);
OipProductStore *oip_cli_load_store      (OipCli          *cli,
                                          GError         **error);
GBytes          *oip_cli_read_bounded    (OipCli          *cli,
                                          GInputStream    *input,
                                          gsize            max_size,
                                          GError         **error);
char            *oip_cli_read_line       (OipCli          *cli,
                                          GDataInputStream *input,
                                          const char      *prompt,
                                          gboolean         secret,
                                          GError         **error);
void             oip_cli_print_json      (JsonNode        *node);
int              oip_cli_fail            (const GError    *error);
int              oip_cli_usage_error     (GOptionContext  *context,
                                          const char      *message);

G_END_DECLS
