"""Groups: directory, pages, joining and leaving, members and invite links."""

from flask import (
    Blueprint,
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from meetup import permissions
from meetup.auth_session import current_person
from meetup.errors import InvalidInput, MeetupError
from meetup.extensions import db
from meetup.forms.groups import CoverForm, GroupForm, JoinForm, RoleForm
from meetup.models import Group, JoinRequest, Membership, Role
from meetup.models.base import utcnow
from meetup.services import (
    covers,
    finding,
    groups,
    memberships,
    outbox,
    reports,
    series,
)
from meetup.urls import public_url
from meetup.views import limits
from meetup.views.answers import done, refused
from meetup.views.lookup import lookup_step
from meetup.views.paging import paginate

bp = Blueprint("groups", __name__)


def _load(slug: str) -> tuple[Group, Membership | None]:
    group = db.first_or_404(db.select(Group).filter_by(slug=slug))
    return group, memberships.membership_of(current_person(), group)


def _load_to_manage(slug: str) -> tuple[Group, Membership]:
    """For POSTs that name a member or a request by id: who may act is decided
    before the row is loaded, so to anyone else a real id answers as a missing
    one (the same 404) and the ids of a private group tell nothing."""
    group, membership = _load(slug)
    if not permissions.can_manage_group(membership):
        abort(404)
    return group, membership


def _page(slug: str, endpoint: str = "groups.show") -> str:
    return url_for(endpoint, slug=slug)


@bp.get("/")
def index():
    q = request.args.get("q", "")[:200]
    page = paginate(groups.search(q), current_app.config["GROUPS_PER_PAGE"])
    return render_template("groups/index.html", page=page, q=q)


@bp.route("/new", methods=["GET", "POST"])
@login_required
@limits.new_group
def new():
    form = GroupForm()
    if not form.is_submitted():
        form.locale.data = str(get_locale())  # the organiser's language
    lookup = lookup_step(form, form.area.data or "")
    if lookup is None and form.validate_on_submit():
        group = groups.create_group(current_person(), form.details())
        return done(
            _("%(name)s is ready. Invite your members!", name=group.name),
            _page(group.slug),
        )
    return render_template("groups/form.html", form=form, group=None, lookup=lookup)


@bp.get("/<slug>")
def show(slug: str):
    group, membership = _load(slug)
    user, now = current_person(), utcnow()
    return render_template(
        "groups/show.html",
        group=group,
        membership=membership,
        upcoming=db.session.scalars(finding.search(user, now, group=group).limit(20)),
        past=db.session.scalars(
            finding.search(user, now, group=group, past=True).limit(6)
        ),
        pending=memberships.pending_request(current_person(), group),
        blocked=memberships.is_blocked(current_person(), group),
        member_count=memberships.member_count(group),
        join_form=JoinForm(),
        feed_url=public_url("calendars.group_feed", slug=group.slug),
        rhythms=series.running_in(group, visible_to_visitors=membership is None),
    )


@bp.route("/<slug>/edit", methods=["GET", "POST"])
@login_required
def edit(slug: str):
    group, membership = _load(slug)
    if not permissions.can_manage_group(membership):
        abort(403)
    form = _group_form(group)
    lookup = lookup_step(form, form.area.data or "")
    if lookup is None and form.validate_on_submit():
        groups.update_group(membership, group, form.details())
        return done(_("Changes saved."), _page(slug))
    return _edit_page(form, group, lookup)


def _group_form(group: Group, **kwargs) -> GroupForm:
    form = GroupForm(obj=group, **kwargs)
    if not form.is_submitted() or "formdata" in kwargs:
        form.visibility.data = group.visibility.value  # obj= would give the enum
    return form


def _edit_page(form, group: Group, lookup=None, cover_form=None, status=200):
    cover_form = cover_form or CoverForm(formdata=None)
    page = render_template("groups/form.html", form=form, group=group,
                           lookup=lookup, cover_form=cover_form)  # fmt: skip
    return page, status


@bp.post("/<slug>/cover")
@login_required
def cover(slug: str):
    group, membership = _load(slug)
    if not permissions.can_manage_group(membership):
        abort(403)
    form = CoverForm()
    if form.validate():
        upload = form.picture.data
        data = upload.read(covers.MOST_BYTES + 1)
        upload.close()  # a large one sat in a temporary file
        try:
            replaced = covers.upload(membership, group, data)
        except InvalidInput as error:
            db.session.rollback()
            form.picture.errors.append(str(error))
        else:
            db.session.commit()
            covers.forget(replaced)
            return done(_("The new cover picture is up."), _page(slug))
    return _edit_page(_group_form(group, formdata=None), group, cover_form=form,
                      status=400)  # fmt: skip


@bp.post("/<slug>/cover/remove")
@login_required
def remove_cover(slug: str):
    group, membership = _load(slug)
    if not permissions.can_manage_group(membership):
        abort(403)
    removed = covers.remove(membership, group)
    db.session.commit()
    covers.forget(removed)
    back = url_for("groups.edit", slug=slug)
    return done(_("The cover picture is taken down."), back)


@bp.get("/<slug>/cover.jpg")
def cover_picture(slug: str):
    """The picture Hearth drew again, never the uploaded bytes."""
    group = db.first_or_404(db.select(Group).filter_by(slug=slug))
    picture = covers.picture(group)
    if picture is None:
        abort(404)
    response = Response(picture, mimetype="image/jpeg")
    response.set_etag(group.cover_key.rsplit("-", 1)[1].split(".")[0])
    response.cache_control.public = True
    response.cache_control.max_age = 300
    return response.make_conditional(request)


@bp.post("/<slug>/join")
@login_required
@limits.joining
def join(slug: str):
    group, _membership = _load(slug)
    form = JoinForm()
    if not form.validate():
        flash("; ".join(form.message.errors), "error")
        return redirect(url_for("groups.show", slug=slug))
    try:
        result = groups.join(current_person(), group, form.message.data or "")
    except MeetupError as error:
        return refused(error, _page(slug))
    if isinstance(result, JoinRequest):
        return done(
            _("Your request is with the organisers. We'll let you know."), _page(slug)
        )
    return done(_("Welcome to %(name)s!", name=group.name), _page(slug))


@bp.post("/<slug>/leave")
@login_required
def leave(slug: str):
    group, membership = _load(slug)
    if membership is None:
        return redirect(url_for("groups.show", slug=slug))
    try:
        groups.leave(membership, utcnow())
    except MeetupError as error:
        return refused(error, _page(slug))
    return done(_("You have left %(name)s.", name=group.name), _page(slug))


@bp.get("/<slug>/members")
def members(slug: str):
    group, membership = _load(slug)
    if not permissions.can_see_members(membership):
        abort(404)
    manages = permissions.can_manage_group(membership)
    return render_template(
        "groups/members.html",
        group=group,
        membership=membership,
        members=memberships.members(group),
        requests=memberships.join_requests(group) if manages else [],
        blocks=memberships.blocks(group) if manages else [],
        reports=reports.open_reports(membership, group),
        failed_mail=outbox.failed_for(group.id) if manages else [],
        role_form=RoleForm(),
    )


@bp.post("/<slug>/members/<id:member_id>/role")
@login_required
def set_role(slug: str, member_id: int):
    group, membership = _load_to_manage(slug)
    target = _member(group, member_id)
    form = RoleForm()
    if not form.validate():
        abort(400, _("Choose a role from the list."))
    try:
        groups.set_role(membership, target, Role(form.role.data))
    except MeetupError as error:
        return refused(error, _page(slug, "groups.members"))
    return done(
        _(
            "%(name)s is now: %(role)s.",
            name=target.user.display_name,
            role=target.role.label,
        ),  # fmt: skip
        _page(slug, "groups.members"),
    )


@bp.post("/<slug>/members/<id:member_id>/remove")
@login_required
def remove_member(slug: str, member_id: int):
    group, membership = _load_to_manage(slug)
    target = _member(group, member_id)
    name = target.user.display_name
    try:
        groups.remove_member(membership, target, utcnow())
    except MeetupError as error:
        return refused(error, _page(slug, "groups.members"))
    return done(
        _("%(name)s is no longer a member.", name=name), _page(slug, "groups.members")
    )


@bp.post("/<slug>/requests/<id:request_id>/<any(approve, decline):answer>")
@login_required
def answer_request(slug: str, request_id: int, answer: str):
    group, membership = _load_to_manage(slug)
    join_request = db.first_or_404(
        db.select(JoinRequest).filter_by(id=request_id, group_id=group.id)
    )
    name = join_request.user.display_name
    try:
        if answer == "approve":
            groups.approve(membership, join_request, utcnow())
        else:
            groups.decline(membership, join_request)
    except MeetupError as error:
        return refused(error, _page(slug, "groups.members"))
    said = (
        _("%(name)s is now a member.", name=name)
        if answer == "approve"
        else _("%(name)s was declined.", name=name)
    )
    return done(said, _page(slug, "groups.members"))


@bp.route("/<slug>/invite/<token>", methods=["GET", "POST"])
@limits.joining
def invite(slug: str, token: str):
    group, membership = _load(slug)
    try:
        groups.check_invite(group, token)
    except MeetupError as error:
        return refused(error, _page(slug))
    if request.method == "POST" and current_user.is_authenticated:
        try:
            groups.join_with_invite(current_person(), group, token)
        except MeetupError as error:
            return refused(error, _page(slug))
        return done(_("Welcome to %(name)s!", name=group.name), _page(slug))
    blocked = memberships.is_blocked(current_person(), group)
    return render_template(
        "groups/invite.html", group=group, membership=membership, blocked=blocked
    )


@bp.post("/<slug>/invite-link/<any(renew, revoke):action>")
@login_required
def manage_invite(slug: str, action: str):
    group, membership = _load(slug)
    try:
        if action == "renew":
            groups.renew_invite(membership, group)
        else:
            groups.revoke_invite(membership, group)
    except MeetupError as error:
        return refused(error, _page(slug, "groups.members"))
    message = _("A new invite link is ready; the old one no longer works.")
    if action == "revoke":
        message = _("The invite link is switched off.")
    return done(message, _page(slug, "groups.members"))


def _member(group: Group, member_id: int) -> Membership:
    return db.first_or_404(
        db.select(Membership).filter_by(id=member_id, group_id=group.id)
    )
