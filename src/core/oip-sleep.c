/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "oip-sleep.h"

static gboolean
on_sleep_done (gpointer user_data)
{
  GTask *task = user_data;

  if (!g_task_return_error_if_cancelled (task))
    g_task_return_boolean (task, TRUE);
  return G_SOURCE_REMOVE;
}

/**
 * oip_sleep_async:
 * @milliseconds: how long to wait
 * @cancellable: (nullable): cancelling ends the wait at once
 *
 * Waits without blocking the main loop: retry back-off and import polling
 * use it, so that Cancel is immediate even in the middle of a long wait.
 */
void
oip_sleep_async (guint                milliseconds,
                 GCancellable        *cancellable,
                 GAsyncReadyCallback  callback,
                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (NULL, cancellable, callback, user_data);
  g_autoptr(GSource) source = g_timeout_source_new (milliseconds);

  g_task_set_source_tag (task, oip_sleep_async);

  if (cancellable != NULL)
    {
      g_autoptr(GSource) cancel_source = g_cancellable_source_new (cancellable);

      /* A ready child source dispatches its parent: the timeout fires early. */
      g_source_set_dummy_callback (cancel_source);
      g_source_add_child_source (source, cancel_source);
    }

  g_task_attach_source (task, source, on_sleep_done);
}

gboolean
oip_sleep_finish (GAsyncResult  *result,
                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
