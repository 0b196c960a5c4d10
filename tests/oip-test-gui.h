/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

void     oip_test_gui_init        (int          *argc,
                                   char       ***argv);
void     oip_test_gui_settle      (guint         milliseconds);
gboolean oip_test_gui_wait_for    (gboolean    (*predicate) (gpointer),
                                   gpointer      data);
void     oip_test_gui_screenshot  (GtkWidget    *widget,
                                   const char   *name);
gboolean oip_test_gui_tiles_loaded (GtkFlowBox  *flow);
gpointer oip_test_gui_find_toplevel (GType       type);
void     oip_test_gui_capture_log (GString      *log);
gpointer oip_test_gui_find_widget (GType         type);
GtkWidget *oip_test_gui_wait_for_alert (void);
void      oip_test_gui_assert_not_squashed (GtkWidget *widget);
GtkWidget *oip_test_gui_find_alert (void);
void     oip_test_gui_explain_width (GtkWidget *widget,
                                     int        limit);
void     oip_test_gui_respond (GtkWidget *alert,
                               const char *response);
void     oip_test_gui_screenshot_window_of (GtkWidget  *widget,
                                            const char *name);

G_END_DECLS
