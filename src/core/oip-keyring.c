/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n-lib.h>

#include "oip-error.h"
#include "oip-keyring.h"

/* The keyring, with a bound on every call and without surprise prompts.
 *
 * libsecret's convenience calls wait as long as the Secret Service takes:
 * a stopped daemon or a bus that never replies hangs them forever, and a
 * locked keyring opens an unlock prompt, which on a terminal (or under a
 * display nobody looks at) nobody answers. Here each step (connect,
 * search, store, clear) has OIP_KEYRING_DEFAULT_TIMEOUT seconds, after
 * which the operation fails at once with %OIP_ERROR_KEYRING_UNAVAILABLE,
 * whether or not libsecret ever comes back. A locked keyring is found out
 * without unlocking it; only an interactive program (the GUI, whose
 * prompts the seller sees) asks to unlock it, with
 * OIP_KEYRING_PROMPT_TIMEOUT seconds to type the password; otherwise it
 * fails with %OIP_ERROR_KEYRING_LOCKED. */

static gboolean interactive = TRUE;

/**
 * oip_keyring_set_interactive:
 * @interactive: whether the keyring may show an unlock prompt
 *
 * The command line is not interactive: it reports a locked keyring
 * instead of waiting at a prompt that may be invisible.
 */
void
oip_keyring_set_interactive (gboolean value)
{
  interactive = value;
}

gboolean
oip_keyring_get_interactive (void)
{
  return interactive;
}

/**
 * oip_keyring_get_timeout:
 *
 * Returns: the seconds each keyring step may take:
 *   %OIP_KEYRING_DEFAULT_TIMEOUT, or `OZON_PUSH_KEYRING_TIMEOUT` (1 to 600)
 */
guint
oip_keyring_get_timeout (void)
{
  static gsize timeout = 0;

  if (g_once_init_enter (&timeout))
    {
      const char *text = g_getenv ("OZON_PUSH_KEYRING_TIMEOUT");
      guint64 value = OIP_KEYRING_DEFAULT_TIMEOUT;

      if (text != NULL && !g_ascii_string_to_unsigned (text, 10, 1, 600, &value, NULL))
        value = OIP_KEYRING_DEFAULT_TIMEOUT;
      g_once_init_leave (&timeout, value);
    }
  return timeout;
}

typedef enum
{
  KIND_SEARCH,
  KIND_STORE,
  KIND_CLEAR,
} Kind;

typedef struct
{
  Kind                kind;
  const SecretSchema *schema;
  GHashTable         *attributes;
  gboolean            load_secrets;
  gboolean            need_all;
  char               *label;
  SecretValue        *value;
  SecretService      *service;
  GList              *unlocked;
  GList              *locked;
  gboolean            tried_unlock;
  gboolean            done;
  /* The step under way. */
  GCancellable       *step;
  gulong              outer_handler;
  GSource            *timer;
  guint               seconds;
} Op;

static void
step_stop (GTask *task,
           Op    *op)
{
  if (op->timer != NULL)
    {
      g_source_destroy (op->timer);
      g_clear_pointer (&op->timer, g_source_unref);
    }
  if (op->outer_handler != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), op->outer_handler);
      op->outer_handler = 0;
    }
  g_clear_object (&op->step);
}

static void
op_free (Op *op)
{
  /* The step was stopped when the task returned. */
  g_assert (op->timer == NULL && op->outer_handler == 0);
  g_clear_object (&op->step);
  g_hash_table_unref (op->attributes);
  g_free (op->label);
  g_clear_pointer (&op->value, secret_value_unref);
  g_clear_object (&op->service);
  g_list_free_full (op->unlocked, g_object_unref);
  g_list_free_full (op->locked, g_object_unref);
  g_free (op);
}

static void
fail (GTask  *task,
      GError *error)
{
  Op *op = g_task_get_task_data (task);

  if (op->done)
    {
      g_error_free (error);
      return;
    }
  op->done = TRUE;
  step_stop (task, op);
  /* Our own (locked, no answer) as they are; libsecret's mapped. */
  g_task_return_error (task, error->domain == OIP_ERROR ? error : oip_error_from_keyring (error));
}

static void
fail_locked (GTask *task)
{
  fail (task, g_error_new_literal (OIP_ERROR, OIP_ERROR_KEYRING_LOCKED,
                                   _("The system keyring is locked: the keys in it cannot be read "
                                     "or saved until it is unlocked")));
}

static void
on_outer_cancelled (GCancellable *outer,
                    GCancellable *step)
{
  g_cancellable_cancel (step);
}

static gboolean
on_timeout (gpointer user_data)
{
  GTask *task = user_data;
  Op *op = g_task_get_task_data (task);
  guint seconds = op->seconds;

  g_cancellable_cancel (op->step);
  /* Whatever libsecret does next, the answer is given now. */
  fail (task, g_error_new (OIP_ERROR, OIP_ERROR_KEYRING_UNAVAILABLE,
                           g_dngettext (GETTEXT_PACKAGE,
                                        "The system keyring did not answer within %u second",
                                        "The system keyring did not answer within %u seconds",
                                        seconds),
                           seconds));
  return G_SOURCE_REMOVE;
}

/* Starts a bounded step; pass the returned cancellable to libsecret and
 * g_object_ref (task) as its user data. */
static GCancellable *
step_start (GTask    *task,
            gboolean  prompt)
{
  Op *op = g_task_get_task_data (task);
  GCancellable *outer = g_task_get_cancellable (task);

  step_stop (task, op);
  op->step = g_cancellable_new ();
  if (outer != NULL)
    op->outer_handler = g_cancellable_connect (outer, G_CALLBACK (on_outer_cancelled), op->step, NULL);
  op->seconds = prompt ? OIP_KEYRING_PROMPT_TIMEOUT : oip_keyring_get_timeout ();
  op->timer = g_timeout_source_new_seconds (op->seconds);
  g_task_attach_source (task, op->timer, on_timeout);
  return op->step;
}

/* In every callback: %TRUE when the operation already returned (a
 * timeout), so the late answer is dropped. */
static gboolean
finished (GTask *task)
{
  return ((Op *) g_task_get_task_data (task))->done;
}

static void
succeed_pointer (GTask          *task,
                 gpointer        result,
                 GDestroyNotify  destroy)
{
  Op *op = g_task_get_task_data (task);

  op->done = TRUE;
  step_stop (task, op);
  g_task_return_pointer (task, result, destroy);
}

static void
succeed (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  op->done = TRUE;
  step_stop (task, op);
  g_task_return_boolean (task, TRUE);
}

static void search_start (GTask *task);
static void store_now (GTask *task, gboolean prompt);
static void clear_now (GTask *task);

static void
on_unlocked (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  int count = secret_service_unlock_finish (SECRET_SERVICE (source), result, NULL, &error);

  if (finished (task))
    return;
  if (error != NULL)
    fail (task, g_steal_pointer (&error));
  else if (count <= 0)
    fail_locked (task);   /* the prompt was dismissed */
  else if (op->kind == KIND_STORE)
    store_now (task, FALSE);
  else
    search_start (task);
}

/* Locked: unlock where the seller can see the prompt, else say so. */
static void
handle_locked (GTask            *task,
               SecretCollection *collection)
{
  Op *op = g_task_get_task_data (task);
  g_autoptr(GList) objects = NULL;

  if (!interactive || op->tried_unlock)
    {
      fail_locked (task);
      return;
    }

  op->tried_unlock = TRUE;
  objects = g_list_copy (op->locked);
  if (collection != NULL)
    objects = g_list_prepend (objects, collection);
  secret_service_unlock (op->service, objects, step_start (task, TRUE), on_unlocked, g_object_ref (task));
}

static void
on_search_alias (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretCollection) collection = secret_collection_for_alias_finish (result, &error);

  if (finished (task))
    return;
  if (error != NULL)
    fail (task, g_steal_pointer (&error));
  /* Nothing found in a locked keyring says nothing: gnome-keyring cannot
   * match the attributes of a keyring loaded locked from disk. */
  else if (collection != NULL && secret_collection_get_locked (collection))
    handle_locked (task, collection);
  else
    succeed_pointer (task, NULL, NULL);
}

static void
on_searched (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  GList *items = secret_service_search_finish (SECRET_SERVICE (source), result, &error);

  if (finished (task))
    {
      g_list_free_full (items, g_object_unref);
      return;
    }
  if (error != NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }

  g_list_free_full (g_steal_pointer (&op->unlocked), g_object_unref);
  g_list_free_full (g_steal_pointer (&op->locked), g_object_unref);
  for (GList *l = items; l != NULL; l = l->next)
    {
      if (secret_item_get_locked (l->data))
        op->locked = g_list_prepend (op->locked, l->data);
      else
        op->unlocked = g_list_prepend (op->unlocked, l->data);
    }
  g_list_free (items);
  op->unlocked = g_list_reverse (op->unlocked);
  op->locked = g_list_reverse (op->locked);

  if (op->kind == KIND_CLEAR)
    {
      if (op->locked != NULL)
        handle_locked (task, NULL);
      else
        clear_now (task);
    }
  else if (op->locked != NULL && (op->need_all || op->unlocked == NULL))
    handle_locked (task, NULL);
  else if (op->unlocked != NULL)
    succeed_pointer (task, g_steal_pointer (&op->unlocked), (GDestroyNotify) oip_keyring_list_free);
  else
    secret_collection_for_alias (op->service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                                 step_start (task, FALSE), on_search_alias, g_object_ref (task));
}

static void
search_start (GTask *task)
{
  Op *op = g_task_get_task_data (task);
  SecretSearchFlags flags = SECRET_SEARCH_ALL;

  if (op->load_secrets)
    flags |= SECRET_SEARCH_LOAD_SECRETS;
  secret_service_search (op->service, op->schema, op->attributes, flags,
                         step_start (task, FALSE), on_searched, g_object_ref (task));
}

static void
on_stored (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  secret_service_store_finish (SECRET_SERVICE (source), result, &error);
  if (finished (task))
    return;
  if (error != NULL)
    fail (task, g_steal_pointer (&error));
  else
    succeed (task);
}

static void
store_now (GTask    *task,
           gboolean  prompt)
{
  Op *op = g_task_get_task_data (task);

  secret_service_store (op->service, op->schema, op->attributes, SECRET_COLLECTION_DEFAULT,
                        op->label, op->value, step_start (task, prompt), on_stored, g_object_ref (task));
}

static void
on_store_alias (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SecretCollection) collection = secret_collection_for_alias_finish (result, &error);

  if (finished (task))
    return;
  if (error != NULL)
    fail (task, g_steal_pointer (&error));
  else if (collection == NULL && interactive)
    store_now (task, TRUE);   /* the keyring asks for a password for a new one */
  else if (collection == NULL)
    fail (task, g_error_new_literal (OIP_ERROR, OIP_ERROR_KEYRING_UNAVAILABLE,
                                     _("The system keyring has no default keyring to save to")));
  else if (secret_collection_get_locked (collection))
    handle_locked (task, collection);
  else
    store_now (task, FALSE);
}

static void
on_cleared (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;

  secret_service_clear_finish (SECRET_SERVICE (source), result, &error);
  if (finished (task))
    return;
  if (error != NULL)
    fail (task, g_steal_pointer (&error));
  else
    succeed (task);
}

static void
clear_now (GTask *task)
{
  Op *op = g_task_get_task_data (task);

  secret_service_clear (op->service, op->schema, op->attributes,
                        step_start (task, FALSE), on_cleared, g_object_ref (task));
}

static void
on_service (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Op *op = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  SecretService *service = secret_service_get_finish (result, &error);

  if (finished (task))
    {
      g_clear_object (&service);
      return;
    }
  if (error != NULL)
    {
      fail (task, g_steal_pointer (&error));
      return;
    }

  op->service = service;
  switch (op->kind)
    {
    case KIND_STORE:
      secret_collection_for_alias (op->service, SECRET_COLLECTION_DEFAULT, SECRET_COLLECTION_NONE,
                                   step_start (task, FALSE), on_store_alias, g_object_ref (task));
      break;
    case KIND_SEARCH:
    case KIND_CLEAR:
    default:
      search_start (task);
      break;
    }
}

static GTask *
op_new (Kind                kind,
        const SecretSchema *schema,
        GHashTable         *attributes,
        GCancellable       *cancellable,
        GAsyncReadyCallback callback,
        gpointer            user_data,
        gpointer            source_tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  Op *op = g_new0 (Op, 1);
  GHashTableIter iter;
  gpointer key, value;

  g_task_set_source_tag (task, source_tag);
  op->kind = kind;
  op->schema = schema;
  /* libsecret may keep the table past the call: a copy of our own. */
  op->attributes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_hash_table_iter_init (&iter, attributes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (op->attributes, g_strdup (key), g_strdup (value));
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  return task;
}

static void
op_run (GTask *task)
{
  secret_service_get (SECRET_SERVICE_OPEN_SESSION, step_start (task, FALSE), on_service, g_object_ref (task));
}

/**
 * oip_keyring_list_free:
 *
 * Frees a list returned by oip_keyring_search_finish().
 */
void
oip_keyring_list_free (GList *items)
{
  g_list_free_full (items, g_object_unref);
}

/**
 * oip_keyring_search_async:
 * @attributes: (element-type utf8 utf8): what to match (copied)
 * @load_secrets: whether to read the secrets of what is found
 * @need_all: whether every match must be readable; otherwise locked
 *   matches are skipped when unlocked ones are found
 *
 * Finds items without unlocking anything, unless the program is
 * interactive (then the desktop asks for the keyring's password).
 */
void
oip_keyring_search_async (const SecretSchema  *schema,
                          GHashTable          *attributes,
                          gboolean             load_secrets,
                          gboolean             need_all,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = op_new (KIND_SEARCH, schema, attributes, cancellable, callback, user_data,
                                  oip_keyring_search_async);
  Op *op = g_task_get_task_data (task);

  op->load_secrets = load_secrets;
  op->need_all = need_all;
  op_run (task);
}

/**
 * oip_keyring_search_finish:
 * @error: %OIP_ERROR_KEYRING_LOCKED when what is asked for is in a locked
 *   keyring, %OIP_ERROR_KEYRING_UNAVAILABLE when the keyring cannot be
 *   reached or does not answer in time, or a cancellation
 *
 * Returns: (transfer full) (element-type SecretItem): the unlocked items
 *   found, %NULL without an error when there are none; free with
 *   oip_keyring_list_free()
 */
GList *
oip_keyring_search_finish (GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/**
 * oip_keyring_store_async:
 * @secret: stored as text; the copy made here is cleared when freed
 *
 * Saves (or replaces) an item in the default keyring.
 */
void
oip_keyring_store_async (const SecretSchema  *schema,
                         GHashTable          *attributes,
                         const char          *label,
                         const char          *secret,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = op_new (KIND_STORE, schema, attributes, cancellable, callback, user_data,
                                  oip_keyring_store_async);
  Op *op = g_task_get_task_data (task);

  op->label = g_strdup (label);
  op->value = secret_value_new (secret, -1, "text/plain");
  op_run (task);
}

gboolean
oip_keyring_store_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/**
 * oip_keyring_clear_async:
 *
 * Removes every item matching @attributes; a locked match is an error
 * (it cannot be removed without unlocking) unless interactive.
 */
void
oip_keyring_clear_async (const SecretSchema  *schema,
                         GHashTable          *attributes,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  g_autoptr(GTask) task = op_new (KIND_CLEAR, schema, attributes, cancellable, callback, user_data,
                                  oip_keyring_clear_async);

  op_run (task);
}

gboolean
oip_keyring_clear_finish (GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
