package dev.wheelhouse;
