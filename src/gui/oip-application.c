/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>

#include "oip-application.h"
#include "oip-bulk-window.h"
#include "oip-credentials.h"
#include "oip-dialogs.h"
#include "oip-error.h"
#include "oip-fake-ozon.h"
#include "oip-preferences-page.h"
#include "oip-settings.h"
#include "oip-window.h"

/**
 * OipApplication:
 *
 * The app: one database and its product store for all windows, and with `--demo` a
 * loopback fake of the Ozon API with sample products, so the whole flow
 * can be tried without an Ozon account. The demo touches nothing of the
 * seller's: its credentials and storage live in memory, its settings in a
 * memory backend, its products and drafts in files of its own.
 */
struct _OipApplication
{
  AdwApplication    parent_instance;

  OipContext       *context;
  OipDatabase      *db;
  OipProductStore  *store;
  OipDraftStore    *drafts;
  OipFakeOzon      *demo;
  OipCredentials   *demo_credentials;
  OipStorageConfig *demo_storage;
  gboolean          notice_shown;
};

G_DEFINE_FINAL_TYPE (OipApplication, oip_application, ADW_TYPE_APPLICATION)

enum {
  CREDENTIALS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

#define DEMO_CLIENT_ID OIP_DEMO_CLIENT_ID
#define DEMO_API_KEY OIP_DEMO_API_KEY

static void show_notice (OipApplication *self);

static gboolean
on_window_tick (GtkWidget     *window,
                GdkFrameClock *clock,
                gpointer       user_data)
{
  OipApplication *self = user_data;

  if (gtk_widget_get_width (window) == 0)
    return G_SOURCE_CONTINUE;
  show_notice (self);
  return G_SOURCE_REMOVE;
}

/* What the seller should know about the database (a damaged file moved
 * aside, a run kept in memory), once, in the window. */
static void
show_notice (OipApplication *self)
{
  const char *notice = oip_database_get_notice (self->db);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));
  AdwMessageDialog *dialog;

  if (notice == NULL || self->notice_shown || !OIP_IS_WINDOW (window))
    return;
  /* A dialog presented before its window has a size stays empty: wait for
   * the window's first frame. */
  if (gtk_widget_get_width (GTK_WIDGET (window)) == 0)
    {
      gtk_widget_add_tick_callback (GTK_WIDGET (window), on_window_tick, g_object_ref (self), g_object_unref);
      return;
    }
  self->notice_shown = TRUE;
  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (window, _("Downloaded Products and History"), notice));
  adw_message_dialog_add_response (dialog, "close", _("_Close"));
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
on_notice_changed (OipApplication *self)
{
  self->notice_shown = FALSE;
  show_notice (self);
}

static void
on_database_opened (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(OipApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  /* It works either way (in memory when the file cannot be used); the
   * notice says what happened. */
  if (!oip_database_open_finish (OIP_DATABASE (source), result, &error))
    g_debug ("Database kept in memory: %s", error->message);
  show_notice (self);
}

static void
oip_application_activate (GApplication *app)
{
  OipApplication *self = OIP_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    window = GTK_WINDOW (oip_window_new (self));
  gtk_window_present (window);
  show_notice (self);
}

/* The demo's account and bucket live in memory; the context pushes with
 * whatever they are now. */
static void
sync_demo_context (OipApplication *self)
{
  g_autoptr(OipStorageConfig) storage = oip_application_get_demo_storage (self);

  if (self->demo_credentials != NULL)
    oip_context_set_credentials (self->context, self->demo_credentials->client_id,
                                 self->demo_credentials->api_key);
  else
    oip_context_set_credentials (self->context, NULL, NULL);
  oip_context_set_storage (self->context, storage);
}

static void
oip_application_startup (GApplication *app)
{
  OipApplication *self = OIP_APPLICATION (app);
  g_autoptr(GError) error = NULL;
  g_autoptr(GFile) demo_db = NULL;
  g_autoptr(GFile) demo_legacy = NULL;
  g_autoptr(GFile) drafts = NULL;
  g_autoptr(GSettings) settings = NULL;

  G_APPLICATION_CLASS (oip_application_parent_class)->startup (app);

  if (self->demo != NULL)
    {
      if (!oip_fake_ozon_start (self->demo, &error))
        g_error ("Could not start the demo server: %s", error->message);
      oip_fake_ozon_add_sample_products (self->demo);
      /* The demo's products must not mix with the seller's real ones. */
      demo_db = g_file_new_build_filename (g_get_user_cache_dir (), "ozon-image-push", "demo.db", NULL);
      demo_legacy = g_file_new_build_filename (g_get_user_cache_dir (), "ozon-image-push",
                                               "demo-products.json", NULL);
      drafts = g_file_new_build_filename (g_get_user_cache_dir (), "ozon-image-push", "demo-drafts", NULL);
    }
  else
    drafts = g_file_new_build_filename (g_get_user_data_dir (), "ozon-image-push", "drafts", NULL);

  /* Made here, once the demo (and its settings backend) is decided. */
  settings = oip_settings_new ();
  self->context = oip_context_new (settings);
  self->drafts = oip_draft_store_new (drafts);
  self->db = oip_database_new (demo_db);
  if (demo_legacy != NULL)
    oip_database_set_legacy_store (self->db, demo_legacy);
  g_signal_connect_object (self->db, "notify::notice", G_CALLBACK (on_notice_changed), self, G_CONNECT_SWAPPED);
  oip_database_open_async (self->db, NULL, on_database_opened, g_object_ref (self));
  self->store = oip_product_store_new (self->db);
  oip_context_set_store (self->context, self->store);
  {
    g_autoptr(OipHistory) history = oip_history_new (self->db);

    oip_context_set_history (self->context, history);
  }

  /* The demo talks to its own server with its own account and bucket, and
   * never touches the seller's keyring. */
  if (self->demo != NULL)
    {
      oip_context_set_base_url (self->context, oip_fake_ozon_get_base_url (self->demo));
      oip_context_set_keyring_allowed (self->context, FALSE);
      sync_demo_context (self);
    }
  else
    oip_context_set_base_url (self->context, g_getenv ("OZON_API_URL"));
}

static int
oip_application_handle_local_options (GApplication *app,
                                      GVariantDict *options)
{
  OipApplication *self = OIP_APPLICATION (app);

  if (g_variant_dict_contains (options, "version"))
    {
      g_print ("ozon-image-push %s\n", PACKAGE_VERSION);
      return 0;
    }

  if (g_variant_dict_contains (options, "demo"))
    oip_application_set_demo (self);

  return -1;
}

static void
show_about (GSimpleAction *action,
            GVariant      *parameter,
            gpointer       user_data)
{
  GtkApplication *app = user_data;

  oip_show_about (GTK_WIDGET (gtk_application_get_active_window (app)));
}

static void
show_preferences (GSimpleAction *action,
                  GVariant      *parameter,
                  gpointer       user_data)
{
  OipApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  oip_preferences_page_present (self, GTK_WIDGET (parent));
}

/* One Bulk Push window for the app: asked again, it comes to the front. */
static void
show_bulk_push (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  OipApplication *self = user_data;
  GtkWindow *window = NULL;

  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (self)); l != NULL && window == NULL; l = l->next)
    if (OIP_IS_BULK_WINDOW (l->data))
      window = l->data;
  if (window == NULL)
    window = GTK_WINDOW (oip_bulk_window_new (self));
  gtk_window_present (window);
}

static void
quit_app (GSimpleAction *action,
          GVariant      *parameter,
          gpointer       user_data)
{
  GtkApplication *app = user_data;
  GList *windows = gtk_application_get_windows (app);

  /* Closing windows lets each one save its state and cancel its work. */
  while (windows != NULL)
    {
      GList *next = windows->next;

      gtk_window_close (windows->data);
      windows = next;
    }
}

static const GActionEntry app_actions[] = {
  { .name = "about", .activate = show_about },
  { .name = "preferences", .activate = show_preferences },
  { .name = "bulk-push", .activate = show_bulk_push },
  { .name = "quit", .activate = quit_app },
};

static void
oip_application_dispose (GObject *object)
{
  OipApplication *self = (OipApplication *)object;

  g_clear_object (&self->context);
  g_clear_object (&self->store);
  g_clear_object (&self->db);
  g_clear_object (&self->drafts);
  g_clear_object (&self->demo);
  g_clear_pointer (&self->demo_credentials, oip_credentials_free);
  g_clear_pointer (&self->demo_storage, oip_storage_config_free);

  G_OBJECT_CLASS (oip_application_parent_class)->dispose (object);
}

static void
oip_application_class_init (OipApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = oip_application_dispose;
  app_class->activate = oip_application_activate;
  app_class->startup = oip_application_startup;
  app_class->handle_local_options = oip_application_handle_local_options;

  /**
   * OipApplication::credentials-changed:
   *
   * Credentials were saved to or removed from the keyring.
   */
  signals[CREDENTIALS_CHANGED] =
    g_signal_new ("credentials-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
oip_application_init (OipApplication *self)
{
  const GOptionEntry options[] = {
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Run on a built-in demo server with sample products (no Ozon account needed)"), NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version"), NULL },
    { NULL }
  };
  const char *quit_accels[] = { "<Control>q", NULL };
  const char *preferences_accels[] = { "<Control>comma", NULL };
  const char *shortcuts_accels[] = { "<Control>question", NULL };
  const char *history_accels[] = { "<Control>h", NULL };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", preferences_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-shortcuts", shortcuts_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.show-history", history_accels);
}

OipApplication *
oip_application_new (void)
{
  return g_object_new (OIP_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "resource-base-path", "/io/github/ozonpush/OzonImagePush",
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       NULL);
}

gboolean
oip_application_is_demo (OipApplication *self)
{
  g_return_val_if_fail (OIP_IS_APPLICATION (self), FALSE);
  return self->demo != NULL;
}

/**
 * oip_application_set_demo:
 *
 * Runs the app on the built-in fake Ozon server (`--demo`). Call before
 * the application is registered.
 */
void
oip_application_set_demo (OipApplication *self)
{
  g_return_if_fail (OIP_IS_APPLICATION (self));
  g_return_if_fail (!g_application_get_is_registered (G_APPLICATION (self)));

  /* A separate instance: a running real session must not get it. */
  g_application_set_flags (G_APPLICATION (self),
                           g_application_get_flags (G_APPLICATION (self)) | G_APPLICATION_NON_UNIQUE);
  if (self->demo == NULL)
    {
      g_autoptr(GSettingsBackend) backend = g_memory_settings_backend_new ();

      self->demo = oip_fake_ozon_new (DEMO_CLIENT_ID, DEMO_API_KEY);
      self->demo_credentials = oip_credentials_new (DEMO_CLIENT_ID, DEMO_API_KEY);
      /* Settings the demo changes (the current account, the storage, the
       * window's size) stay in memory: the seller's are never touched. */
      oip_settings_set_backend (backend);
    }
}

/**
 * oip_application_get_database:
 *
 * Returns: (transfer none): the app's database (products and push history)
 */
OipDatabase *
oip_application_get_database (OipApplication *self)
{
  g_return_val_if_fail (OIP_IS_APPLICATION (self), NULL);
  return self->db;
}

/**
 * oip_application_get_store:
 *
 * Returns: (transfer none): the downloaded products
 */
OipProductStore *
oip_application_get_store (OipApplication *self)
{
  g_return_val_if_fail (OIP_IS_APPLICATION (self), NULL);
  return self->store;
}

/**
 * oip_application_create_client:
 * @client_id: (nullable): in the demo, %NULL for the demo's own
 * @api_key: (nullable): in the demo, %NULL for the demo's own
 *
 * A client with the settings' timeout and retries, for Ozon (or
 * `OZON_API_URL`, as for the command line) or, in the demo, for the
 * built-in server.
 *
 * Returns: (transfer full) (nullable): the client
 */
OipOzonClient *
oip_application_create_client (OipApplication  *self,
                               const char      *client_id,
                               const char      *api_key,
                               GError         **error)
{
  g_return_val_if_fail (OIP_IS_APPLICATION (self), NULL);

  if (self->demo != NULL && client_id == NULL)
    {
      client_id = DEMO_CLIENT_ID;
      api_key = DEMO_API_KEY;
    }
  return oip_context_create_client_for (self->context, client_id, api_key, error);
}

/**
 * oip_application_get_context:
 *
 * Returns: (transfer none): the app's one context: settings, account,
 *   storage, products
 */
OipContext *
oip_application_get_context (OipApplication *self)
{
  g_return_val_if_fail (OIP_IS_APPLICATION (self), NULL);
  return self->context;
}

/**
 * oip_application_get_demo_server:
 *
 * Returns: (transfer none) (nullable): the demo's fake Ozon server, for
 *   tests that check what it received
 */
OipFakeOzon *
oip_application_get_demo_server (OipApplication *self)
{
  g_return_val_if_fail (OIP_IS_APPLICATION (self), NULL);
  return self->demo;
}

static OipStorageConfig *
copy_storage (const OipStorageConfig *config)
{
  OipStorageConfig *copy = oip_storage_config_new ();

  g_free (copy->region);
  g_free (copy->prefix);
  copy->endpoint = g_strdup (config->endpoint);
  copy->region = g_strdup (config->region);
  copy->bucket = g_strdup (config->bucket);
  copy->public_url = g_strdup (config->public_url);
  copy->prefix = g_strdup (config->prefix);
  copy->access_key_id = g_strdup (config->access_key_id);
  copy->secret_access_key = g_strdup (config->secret_access_key);
  return copy;
}

/**
 * oip_application_get_demo_storage:
 *
 * Returns: (transfer full) (nullable): in the demo, the built-in server's
 *   bucket, so that local pictures can be pushed without real storage;
 *   %NULL otherwise
 */
OipStorageConfig *
oip_application_get_demo_storage (OipApplication *self)
{
  OipStorageConfig *config;

  g_return_val_if_fail (OIP_IS_APPLICATION (self), NULL);
  if (self->demo == NULL)
    return NULL;
  if (self->demo_storage != NULL)
    return copy_storage (self->demo_storage);

  config = oip_storage_config_new ();
  config->endpoint = g_strdup (oip_fake_ozon_get_base_url (self->demo));
  config->bucket = g_strdup ("demo-bucket");
  config->public_url = g_strconcat (oip_fake_ozon_get_base_url (self->demo), "/storage", NULL);
  config->access_key_id = g_strdup ("demo");
  config->secret_access_key = g_strdup ("demo-storage-secret");
  return config;
}

/**
 * oip_application_get_drafts:
 *
 * Returns: (transfer none): where unpushed edits are kept (the demo's own
 *   in the demo)
 */
OipDraftStore *
oip_application_get_drafts (OipApplication *self)
{
  g_return_val_if_fail (OIP_IS_APPLICATION (self), NULL);
  return self->drafts;
}

/* The seller's accounts: the keyring, or the demo's memory. {{{1 */

static char *
current_client_id (void)
{
  g_autoptr(GSettings) settings = oip_settings_new ();

  return settings != NULL ? g_settings_get_string (settings, "current-client-id") : NULL;
}

static void
on_credentials_looked_up (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  OipCredentials *credentials = oip_credentials_lookup_finish (result, &error);

  if (credentials == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, credentials, (GDestroyNotify) oip_credentials_free);
}

/**
 * oip_application_lookup_credentials_async:
 *
 * Looks up the current account's credentials: in the keyring, or in the
 * demo, the demo's own. Fails as oip_credentials_lookup_async() does.
 */
void
oip_application_lookup_credentials_async (OipApplication      *self,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *current = NULL;

  g_return_if_fail (OIP_IS_APPLICATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_application_lookup_credentials_async);
  if (self->demo != NULL)
    {
      if (self->demo_credentials == NULL)
        g_task_return_new_error (task, OIP_ERROR, OIP_ERROR_CREDENTIALS_MISSING,
                                 _("Ozon API credentials are not configured"));
      else
        g_task_return_pointer (task, oip_credentials_new (self->demo_credentials->client_id,
                                                          self->demo_credentials->api_key),
                               (GDestroyNotify) oip_credentials_free);
      return;
    }
  current = current_client_id ();
  oip_credentials_lookup_async (current, cancellable, on_credentials_looked_up, g_steal_pointer (&task));
}

/**
 * oip_application_lookup_credentials_finish:
 *
 * Returns: (transfer full) (nullable): the credentials
 */
OipCredentials *
oip_application_lookup_credentials_finish (OipApplication  *self,
                                           GAsyncResult    *result,
                                           GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_boolean_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  gboolean (*finish) (GAsyncResult *, GError **) = g_task_get_task_data (task);

  if (!finish (result, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * oip_application_store_credentials_async:
 *
 * Saves @credentials in the keyring, or in the demo, in the demo's memory.
 */
void
oip_application_store_credentials_async (OipApplication       *self,
                                         const OipCredentials *credentials,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OIP_IS_APPLICATION (self));
  g_return_if_fail (credentials != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_application_store_credentials_async);
  if (self->demo != NULL)
    {
      g_clear_pointer (&self->demo_credentials, oip_credentials_free);
      self->demo_credentials = oip_credentials_new (credentials->client_id, credentials->api_key);
      sync_demo_context (self);
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_set_task_data (task, oip_credentials_store_finish, NULL);
  oip_credentials_store_async (credentials, cancellable, on_boolean_done, g_steal_pointer (&task));
}

gboolean
oip_application_store_credentials_finish (OipApplication  *self,
                                          GAsyncResult    *result,
                                          GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * oip_application_remove_credentials_async:
 *
 * Deletes @client_id's API Key from the keyring, or in the demo, from the
 * demo's memory.
 */
void
oip_application_remove_credentials_async (OipApplication      *self,
                                          const char          *client_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OIP_IS_APPLICATION (self));
  g_return_if_fail (client_id != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_application_remove_credentials_async);
  if (self->demo != NULL)
    {
      if (self->demo_credentials != NULL && g_str_equal (self->demo_credentials->client_id, client_id))
        g_clear_pointer (&self->demo_credentials, oip_credentials_free);
      sync_demo_context (self);
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_set_task_data (task, oip_credentials_remove_finish, NULL);
  oip_credentials_remove_async (client_id, cancellable, on_boolean_done, g_steal_pointer (&task));
}

gboolean
oip_application_remove_credentials_finish (OipApplication  *self,
                                           GAsyncResult    *result,
                                           GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
on_storage_loaded (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  OipStorageConfig *config = oip_storage_config_load_finish (result, &error);

  if (config == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_pointer (task, config, (GDestroyNotify) oip_storage_config_free);
}

/**
 * oip_application_load_storage_async:
 *
 * The storage for local pictures: from the settings and the keyring, or in
 * the demo, the demo's built-in bucket.
 */
void
oip_application_load_storage_async (OipApplication      *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OIP_IS_APPLICATION (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_application_load_storage_async);
  if (self->demo != NULL)
    {
      g_task_return_pointer (task, oip_application_get_demo_storage (self), (GDestroyNotify) oip_storage_config_free);
      return;
    }
  oip_storage_config_load_async (cancellable, on_storage_loaded, g_steal_pointer (&task));
}

/**
 * oip_application_load_storage_finish:
 *
 * Returns: (transfer full) (nullable): the storage, as far as it is set up
 */
OipStorageConfig *
oip_application_load_storage_finish (OipApplication  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
on_storage_secret_stored (GObject      *source,
                          GAsyncResult *result,
                          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  if (!oip_storage_config_store_secret_finish (result, &error) ||
      !oip_storage_config_save_settings (g_task_get_task_data (task), &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

/**
 * oip_application_save_storage_async:
 *
 * Keeps @config: the secret in the keyring, the rest in the settings; in
 * the demo, all of it in the demo's memory.
 */
void
oip_application_save_storage_async (OipApplication         *self,
                                    const OipStorageConfig *config,
                                    GCancellable           *cancellable,
                                    GAsyncReadyCallback     callback,
                                    gpointer                user_data)
{
  g_autoptr(GTask) task = NULL;

  g_return_if_fail (OIP_IS_APPLICATION (self));
  g_return_if_fail (config != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, oip_application_save_storage_async);
  if (self->demo != NULL)
    {
      g_clear_pointer (&self->demo_storage, oip_storage_config_free);
      self->demo_storage = copy_storage (config);
      sync_demo_context (self);
      g_task_return_boolean (task, TRUE);
      return;
    }
  g_task_set_task_data (task, copy_storage (config), (GDestroyNotify) oip_storage_config_free);
  oip_storage_config_store_secret_async (config, cancellable, on_storage_secret_stored, g_steal_pointer (&task));
}

gboolean
oip_application_save_storage_finish (OipApplication  *self,
                                     GAsyncResult    *result,
                                     GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
