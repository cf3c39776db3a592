"use strict";
// The claim form offers the chosen speaker's roles in their earlier claims as suggestions for
// "Speaker role": a speaker usually keeps a role from one claim to the next, and retyping
// "Russian Deputy Foreign Minister" invites typos. The roles come from the admin's speaker-roles
// URL, named by the role field's data-roles-url.
window.addEventListener("DOMContentLoaded", () => {
    const roleInput = document.getElementById("id_speaker_role");
    const speakerSelect = document.getElementById("id_speaker");
    if (!roleInput || !speakerSelect || !roleInput.dataset.rolesUrl) {
        return;
    }
    const suggestions = document.createElement("datalist");
    suggestions.id = "speaker-role-suggestions";
    roleInput.after(suggestions);
    roleInput.setAttribute("list", suggestions.id);

    async function offerRoles() {
        const speaker = speakerSelect.value;
        suggestions.replaceChildren();
        if (!speaker) {
            return;
        }
        const url = new URL(roleInput.dataset.rolesUrl, window.location.href);
        url.searchParams.set("speaker", speaker);
        const response = await fetch(url, {headers: {Accept: "application/json"}});
        if (!response.ok) {
            return;
        }
        const {roles} = await response.json();
        // Another speaker may have been chosen while these roles were on their way.
        if (speakerSelect.value !== speaker) {
            return;
        }
        suggestions.replaceChildren(...roles.map((role) => {
            const option = document.createElement("option");
            option.value = role;
            return option;
        }));
    }

    // The speaker field is an autocomplete (select2), which announces a choice through jQuery only.
    django.jQuery(speakerSelect).on("change", offerRoles);
    offerRoles();
});
