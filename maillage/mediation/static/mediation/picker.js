/* Type-ahead over a plain <select data-picker>: a search field above the list keeps only the
   people whose label (name, code, commune, year of birth) holds every word typed. Without
   JavaScript the select works as it is. Served from Maillage itself (no inline script). */
(function () {
  "use strict";
  function fold(text) {
    return text.normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }
  document.querySelectorAll("select[data-picker]").forEach(function (select) {
    var group = select.closest(".fr-select-group") || select.parentNode;
    var options = Array.prototype.slice.call(select.options).filter(function (o) { return o.value; });
    var wrapper = document.createElement("div");
    wrapper.className = "fr-input-group fr-mb-1w";
    var label = document.createElement("label");
    label.className = "fr-label";
    label.htmlFor = select.id + "-recherche";
    label.textContent = "Rechercher une personne (prénom, nom, code, commune, année de naissance)";
    var input = document.createElement("input");
    input.className = "fr-input";
    input.type = "search";
    input.id = select.id + "-recherche";
    input.autocomplete = "off";
    input.setAttribute("aria-controls", select.id);
    var status = document.createElement("p");
    status.className = "fr-hint-text fr-mt-1v";
    status.id = select.id + "-resultats";
    status.setAttribute("aria-live", "polite");
    input.setAttribute("aria-describedby", status.id);
    wrapper.appendChild(label);
    wrapper.appendChild(input);
    wrapper.appendChild(status);
    group.parentNode.insertBefore(wrapper, group);
    input.addEventListener("input", function () {
      var words = fold(input.value).split(/\s+/).filter(Boolean);
      var shown = options.filter(function (option) {
        var text = fold(option.textContent);
        var match = words.every(function (word) { return text.indexOf(word) !== -1; });
        option.hidden = !match;
        option.disabled = !match;
        return match;
      });
      if (!words.length) {
        status.textContent = "";
        return;
      }
      var current = select.options[select.selectedIndex];
      if (!current || !current.value || current.hidden) {
        select.value = shown.length ? shown[0].value : "";  // the first match, announced below
      }
      status.textContent = shown.length === 0
        ? "Aucune personne ne correspond : laissez « Nouvelle personne »."
        : shown.length + (shown.length > 1 ? " personnes correspondent" : " personne correspond") +
          " ; sélectionnée : " + select.options[select.selectedIndex].textContent + ".";
    });
  });
}());
