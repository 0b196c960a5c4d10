/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void     oip_sleep_async  (guint                milliseconds,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data);
gboolean oip_sleep_finish (GAsyncResult        *result,
                           GError             **error);

G_END_DECLS
