#include "web.h"
#include "banned.h"
void page_coord_import_form(struct req *r) { view_error(r, 404, "not yet"); }
void page_coord_import(struct req *r) { view_error(r, 404, "not yet"); }
void page_coord_import_confirm(struct req *r) { view_error(r, 404, "not yet"); }
